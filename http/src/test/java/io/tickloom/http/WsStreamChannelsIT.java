package io.tickloom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WebSocket channels that are not per instrument ({@link StreamChannels}), through the real server and a real client:
 * subscribe without tokens, frames in order, the connection's API key handed to the provider, refusals as error
 * frames, the source cancelled on unsubscribe and on disconnect, and the end of a source told to the client.
 */
class WsStreamChannelsIT {
  static final String KEY = "k-demo";

  /** Channels {@code count:<n>} (n frames, then the end), {@code mine} (needs a key; one frame naming its account), {@code endless}. */
  static final class Provider implements StreamChannels {
    final Map<String, CompletableFuture<Done>> terminations = new ConcurrentHashMap<>();

    @Override
    public String prefix() {
      return "test";
    }

    @Override
    public CompletionStage<Source<String, NotUsed>> open(String channel, ApiKeys.Key key) {
      String rest = channel.equals("test") ? "" : channel.substring("test:".length());
      Source<String, NotUsed> frames;
      if (rest.startsWith("count:")) {
        int n = Integer.parseInt(rest.substring("count:".length()));
        frames = Source.range(1, n).map(i -> "{\"type\":\"test\",\"n\":" + i + "}");
      } else if (rest.equals("mine")) {
        if (key == null) return CompletableFuture.failedFuture(new SecurityException("channel test:mine needs an API key"));
        frames = Source.single("{\"type\":\"test\",\"account\":\"" + key.account() + "\"}").concat(Source.never());
      } else if (rest.equals("endless")) {
        frames = Source.repeat("{\"type\":\"test\"}").throttle(50, Duration.ofSeconds(1));
      } else {
        return CompletableFuture.failedFuture(new IllegalArgumentException("no such test channel '" + channel + "'"));
      }
      CompletableFuture<Done> terminated = new CompletableFuture<>();
      terminations.put(channel, terminated);
      return CompletableFuture.completedFuture(frames.watchTermination((mat, done) -> {
        done.whenComplete((d, e) -> terminated.complete(Done.getInstance()));
        return mat;
      }));
    }
  }

  static final Provider PROVIDER = new Provider();
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = new TestNode(s -> s, ApiKeys.parse(KEY + ":DEMO:trader"), ctx -> ctx.withStream(PROVIDER));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  static String subscribe(String... channels) {
    return Json.write(Map.of("action", "subscribe", "channels", List.of(channels)));
  }

  @Test
  void framesOfASourceArriveInOrderThenTheEnd() throws Exception {
    try (WsClient c = WsClient.connect(node.ws(), true)) {
      c.send(subscribe("test:count:500"));
      JsonNode ack = c.next("subscribed");
      assertEquals("[\"test:count:500\"]", ack.get("channels").toString());
      assertEquals("[]", ack.get("tokens").toString());
      assertEquals(1, ack.get("subscriptions").asInt());
      for (int i = 1; i <= 500; i++) assertEquals(i, c.next("test").get("n").asInt());
      JsonNode end = c.next("unsubscribed");
      assertEquals("ended", end.get("reason").asText());
      assertEquals(0, end.get("subscriptions").asInt());
    }
  }

  @Test
  void theKeyOfTheConnectionReachesTheProviderAndNoKeyIsRefused() throws Exception {
    try (WsClient c = WsClient.connect(URI.create(node.ws() + "?key=" + KEY), true)) {
      c.send(subscribe("test:mine"));
      c.next("subscribed");
      assertEquals("DEMO", c.next("test").get("account").asText());
    }
    try (WsClient c = WsClient.connect(node.ws(), true)) {
      c.send(subscribe("test:mine"));
      c.next("subscribed");
      JsonNode err = c.next("error");
      assertEquals("forbidden", err.get("code").asText());
      assertTrue(err.get("message").asText().contains("needs an API key"), err.toString());
      // the refused channel no longer counts: a ping answers, and a fresh subscribe holds one subscription
      c.send(subscribe("test:count:1"));
      assertEquals(1, c.next("subscribed").get("subscriptions").asInt());
    }
  }

  @Test
  void anUnknownKeyIsRefusedBeforeTheUpgrade() {
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(node.ws() + "?key=nope"),
            new java.net.http.WebSocket.Listener() {}).get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof WebSocketHandshakeException, e.toString());
    assertEquals(401, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
  }

  @Test
  void unknownIdsAreErrorsAndInstrumentChannelsStillNeedTokens() throws Exception {
    try (WsClient c = WsClient.connect(node.ws(), true)) {
      c.send(subscribe("test:nothing-here"));
      c.next("subscribed");
      JsonNode err = c.next("error");
      assertEquals("unknown_channel", err.get("code").asText());
      assertTrue(err.get("message").asText().contains("test:nothing-here"), err.toString());
      c.send(subscribe("ticks"));
      assertEquals("bad_request", c.next("error").get("code").asText());
    }
  }

  @Test
  void unsubscribeAndDisconnectCancelTheSource() throws Exception {
    try (WsClient c = WsClient.connect(node.ws(), true)) {
      c.send(subscribe("test:endless"));
      c.next("subscribed");
      c.next("test");
      CompletableFuture<Done> terminated = PROVIDER.terminations.get("test:endless");
      assertFalse(terminated.isDone());
      c.send(Json.write(Map.of("action", "unsubscribe", "channels", List.of("test:endless"))));
      terminated.get(10, TimeUnit.SECONDS);
      // frames already queued may still come; then the unsubscribe ack, and nothing of the channel after it
      List<String> types = new ArrayList<>();
      JsonNode f;
      while (!(f = c.next()).get("type").asText().equals("unsubscribed")) types.add(f.get("type").asText());
      assertTrue(types.stream().allMatch("test"::equals), types.toString());
      c.send("{\"action\":\"ping\"}");
      assertEquals("pong", c.next().get("type").asText());
    }
    WsClient c = WsClient.connect(node.ws(), true);
    c.send(subscribe("test:endless"));
    c.next("subscribed");
    c.next("test");
    CompletableFuture<Done> second = PROVIDER.terminations.get("test:endless");
    c.close();
    second.get(10, TimeUnit.SECONDS);
  }
}
