package io.tickloom.http;

import static io.tickloom.http.Fixtures.RELIANCE;
import static io.tickloom.http.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickloom.cluster.MarketEvent;
import io.tickloom.protocol.Tick;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading: its frames back up through TCP into its bounded queue, which then drops the oldest
 * and reports how many; the publisher is never held up and every frame is either delivered or counted as dropped.
 */
class WebSocketBackpressureIT {
  static final int QUEUE = 16;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = new TestNode(s -> s.withWebSocket(new HttpSettings.WebSocket(QUEUE, 10, 4096, 0, 0, Duration.ofSeconds(15))));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  double droppedSoFar() {
    return node.registry.get("tickloom.ws.messages.dropped").counter().count();
  }

  @Test
  void slowClientLosesOldestFramesAndIsToldHowMany() throws Exception {
    long token = RELIANCE.token();
    try (WsClient slow = WsClient.connect(node.ws(), false); WsClient fast = WsClient.connect(node.ws(), true)) {
      String sub = "{\"action\":\"subscribe\",\"channels\":[\"ticks\"],\"tokens\":[" + token + "]}";
      slow.send(sub);
      fast.send(sub);
      fast.next("subscribed");
      fast.next("backfill");
      node.live.awaitSubscribers(token, 2);

      // One tick per event, as a steady feed: the fast client keeps up, the slow one fills TCP and then its queue.
      long seq = 0;
      while (droppedSoFar() == 0 && seq < 2_000_000) {
        for (int k = 0; k < 1000; k++) {
          seq++;
          node.live.publish(new MarketEvent.Ticks(token, List.of(Fixtures.tick(RELIANCE, seq, T0 + seq * 1000, 250_000 + seq % 1000))));
        }
        // the fast client must have everything up to here (modulo its own drops): it is never held up by the slow one
        while (lastTickSeq(fast) < seq) { /* drains the fast client's frames */ }
      }
      assertTrue(droppedSoFar() > 0, "no frame dropped after " + seq + " ticks");
      long last = seq + 1;
      node.live.publish(new MarketEvent.Ticks(token, List.of(Fixtures.tick(RELIANCE, last, T0 + last * 1000, 250_000))));
      while (lastTickSeq(fast) < last) { /* drains */ }

      slow.readAll();
      long delivered = 0;
      long dropped = 0;
      long previousSeq = 0;
      while (true) {
        JsonNode f = slow.next();
        String type = f.get("type").asText();
        if (type.equals("dropped")) {
          assertTrue(f.get("dropped").asLong() > 0);
          dropped += f.get("dropped").asLong();
          continue;
        }
        delivered++;
        if (type.equals("tick")) {
          long s = f.get("seq").asLong();
          assertTrue(s > previousSeq, "ticks stay in order: " + s + " after " + previousSeq);
          previousSeq = s;
          if (s == last) break;
        }
      }
      assertTrue(dropped > 0, "the slow client was told about drops");
      // subscribed + backfill + every tick: each one was either delivered or reported as dropped
      assertEquals(2 + last, delivered + dropped);
    }
    node.live.awaitSubscribers(token, 0);
  }

  private long lastSeq;

  /** Reads the fast client's next frame and returns the seq of the newest tick it has seen so far. */
  private long lastTickSeq(WsClient c) throws Exception {
    JsonNode f = c.next();
    if (f.get("type").asText().equals("tick")) lastSeq = f.get("seq").asLong();
    return lastSeq;
  }
}
