package io.tickloom.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timestamps;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tickloom replay} against a real node: ticks taken in by the node's live path, replayed from its store; the
 * printed {@code replay_bar} lines are the live bars of the period as {@code /api/v1/candles} serves them.
 */
class ReplayCliIT {
  static final long T0 = Timestamps.of(Instant.parse("2026-01-15T03:45:00Z")); // 09:15 IST
  static final long SEC = Timestamps.NANOS_PER_SECOND;
  static final Instrument A = Instrument.cash(7_101, Exchange.NSE, "REPLAYA", InstrumentKind.EQ, 5, 1, 2, 0);
  static final Instrument B = Instrument.cash(7_102, Exchange.NSE, "REPLAYB", InstrumentKind.EQ, 5, 1, 2, 0);
  static TickloomNode node;
  static final String KEY = "replay-cli-key";
  static URI base;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    node = TickloomNode.start(NodeConfig.load(TestNodes.overrides("tickloom.node.feeds = \"\"", "tickloom.http.api-keys = \"" + KEY + ":R:trader\"")));
    base = URI.create("http://127.0.0.1:" + node.httpPort() + "/");
    node.market().registerInstruments(List.of(A, B));
    // 5 minutes of ticks, one every 1.5 s per instrument, through the live path (entities, bars, storage).
    List<Tick> ticks = new ArrayList<>();
    for (int k = 0; k < 200; k++) {
      ticks.add(Tick.of(A.token(), T0 + k * 1_500_000_000L, T0 + k * 1_500_000_000L, 100_000 + (k * 37) % 250, 1 + k % 7, k + 1, Feed.PRIMARY));
      ticks.add(Tick.of(B.token(), T0 + k * 1_500_000_000L + 700_000_000L, T0 + k * 1_500_000_000L, 50_000 + (k * 53) % 300, 2 + k % 5, k + 1,
          Feed.PRIMARY));
    }
    node.market().ingest(Source.from(ticks)).second().toCompletableFuture().get(60, TimeUnit.SECONDS);
    node.market().flushWriter().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  void replayPrintsTheFinalBarsOfThePeriodAsJsonLinesEqualToTheLiveCandles() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String from = Timestamps.format(T0);
    String to = Long.toString(Timestamps.toMillis(T0 + 240 * SEC)); // epoch ms works too
    int code = new ReplayClient(base, KEY, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(List.of(A.token(), B.token()), from, to, "max", "1m");
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(8, lines.size(), "minutes 09:15 to 09:18 of two instruments: " + lines);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("ended: 8 bars printed, 320 ticks replayed"), err.toString(StandardCharsets.UTF_8));

    for (Instrument i : List.of(A, B)) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(
          "api/v1/candles?token=" + i.token() + "&tf=1m&from=" + from + "&to=" + to)).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode live = JSON.readTree(r.body()).get("items");
      assertEquals(4, live.size(), r.body());
      List<JsonNode> printed = new ArrayList<>();
      for (String line : lines) {
        ObjectNode n = (ObjectNode) JSON.readTree(line);
        assertEquals("replay_bar", n.get("type").asText());
        if (n.get("token").asLong() != i.token()) continue;
        n.remove("type");
        n.remove("replay");
        printed.add(n);
      }
      for (int k = 0; k < 4; k++) assertEquals(live.get(k), printed.get(k), "bar " + k + " of " + i.symbol());
    }
  }

  @Test
  void aRefusedReplayIsReportedWithTheFieldAtFault() {
    ReplayClient client = new ReplayClient(base, KEY, new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
    ReplayClient.ReplayFailure e = assertThrows(ReplayClient.ReplayFailure.class,
        () -> client.run(List.of(424_242L), Timestamps.format(T0), Timestamps.format(T0 + 60 * SEC), "max", "1m"));
    assertTrue(e.getMessage().contains("[tokens]") && e.getMessage().contains("424242"), e.getMessage());
  }
}
