package io.tickloom.http;

import static io.tickloom.http.Fixtures.RELIANCE;
import static io.tickloom.http.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickloom.cluster.InstrumentEntity.BookView;
import io.tickloom.cluster.MarketEvent;
import io.tickloom.protocol.Timestamps;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket {@code depth} channel with a real client: the current book as backfill, live books as {@code depth}
 * frames, nothing after unsubscribing; and conflation: a client that stops reading gets, once it reads again, only
 * the latest books (in order, the very last among them), never a backlog and never a {@code dropped} count.
 */
class DepthWebSocketIT {
  static final int QUEUE = 16;
  static TestNode node;
  static final BookTestService books = new BookTestService();

  @BeforeAll
  static void start() throws Exception {
    node = new TestNode(s -> s.withWebSocket(new HttpSettings.WebSocket(QUEUE, 10, 4096, 0, 0, Duration.ofSeconds(15))), ApiKeys.none(),
        ctx -> ctx.withBooks(books));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  /** The tree model normalizes decimals (2500.00 reads as 2.5E+3): compare values. */
  static void assertDecimal(String expected, JsonNode actual) {
    assertEquals(0, new BigDecimal(expected).compareTo(actual.decimalValue()), expected + " vs " + actual);
  }

  static MarketEvent.Depth depth(long ts, long bid, int levels) {
    return new MarketEvent.Depth(RELIANCE.token(), ts, "L2", false, BookTestService.book(bid, 5, levels, 10));
  }

  @Test
  void subscribeBackfillsTheCurrentBookThenStreamsLiveBooks() throws Exception {
    long token = RELIANCE.token();
    books.set(new BookView(token, T0, "L2", false, 3, 0, BookTestService.book(250_000, 5, 3, 10)));
    try (WsClient c = WsClient.connect(node.ws(), true)) {
      c.send("{\"action\":\"subscribe\",\"channels\":[\"depth\"],\"tokens\":[" + token + "]}");
      c.next("subscribed");
      JsonNode backfill = c.next("depth");
      assertEquals(token, backfill.get("token").asLong());
      assertEquals(Timestamps.format(T0), backfill.get("ts").asText());
      assertDecimal("2500.00", backfill.get("bids").get(0).get(0));
      assertDecimal("2500.05", backfill.get("asks").get(0).get(0));
      assertEquals(3, backfill.get("asks").size());
      assertDecimal("0.05", backfill.get("features").get("spread"));
      assertDecimal("2500.025", backfill.get("features").get("mid"));
      assertEquals("LIVE", backfill.get("status").asText());

      node.live.awaitSubscribers(token, 1);
      node.live.publish(depth(T0 + 1_000, 250_010, 3));
      JsonNode live = c.next("depth");
      assertDecimal("2500.10", live.get("bids").get(0).get(0));
      assertEquals(Timestamps.format(T0 + 1_000), live.get("ts").asText());

      c.send("{\"action\":\"unsubscribe\",\"channels\":[\"depth\"],\"tokens\":[" + token + "]}");
      c.next("unsubscribed");
      node.live.publish(depth(T0 + 2_000, 250_020, 3));
      c.send("{\"action\":\"ping\"}");
      c.next("pong");
    }
  }

  @Test
  void aSlowClientSeesTheLatestBookNotABacklog() throws Exception {
    long token = RELIANCE.token();
    books.set(new BookView(token, T0, "L2", false, 3, 0, BookTestService.book(250_000, 5, 3, 10)));
    double droppedBefore = node.registry.get("tickloom.ws.messages.dropped").counter().count();
    String sub = "{\"action\":\"subscribe\",\"channels\":[\"depth\"],\"tokens\":[" + token + "]}";
    try (WsClient slow = WsClient.connect(node.ws(), false); WsClient fast = WsClient.connect(node.ws(), true)) {
      slow.send(sub);
      fast.send(sub);
      fast.next("subscribed");
      fast.next("depth");
      node.live.awaitSubscribers(token, 2);
      // big books (200 levels a side, ~10 KB a frame): the slow client's TCP buffers fill after a few hundred
      int n = 3_000;
      for (int k = 1; k <= n; k++) node.live.publish(depth(T0 + k, 250_000 + k, 200));
      String lastTs = Timestamps.format(T0 + n);
      while (!fast.next("depth").get("ts").asText().equals(lastTs)) { /* drains the fast client */ }

      slow.readAll();
      slow.next("subscribed");
      int frames = 0;
      java.time.Instant previous = java.time.Instant.MIN;
      while (true) {
        JsonNode f = slow.next();
        assertEquals("depth", f.get("type").asText(), "only depth frames, no dropped count: " + f);
        frames++;
        String ts = f.get("ts").asText();
        java.time.Instant at = java.time.Instant.parse(ts);
        assertTrue(at.isAfter(previous), "books in order: " + ts + " after " + previous);
        previous = at;
        if (ts.equals(lastTs)) break;
      }
      assertTrue(frames < n / 2, "conflated: " + frames + " frames for " + n + " books");
      assertEquals(droppedBefore, node.registry.get("tickloom.ws.messages.dropped").counter().count(), "depth is replaced, never dropped");
    }
  }
}
