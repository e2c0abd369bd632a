package io.tickloom.cluster.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.cluster.oms.OrderEvent;
import io.tickloom.cluster.oms.OrderId;
import io.tickloom.cluster.oms.OrderService.AccountEvent;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link OrderInterleave}: order events in time with the ticks, ticks first on a tie, whatever the batch cuts. */
class OrderInterleaveTest {
  static final long MS = 1_000_000L;
  static final long FROM = 1_000_000 * MS;
  static final long TO = FROM + 10_000 * MS;

  static Tick tick(long ts, int seq) {
    return new Tick(7L, ts, ts, 100, 1, Tick.NO_TRADE_ID, seq, Feed.PRIMARY, null, Tick.NO_PRICE, Tick.NO_PRICE, TickStatus.LIVE);
  }

  static AccountEvent event(long ts, int n) {
    return new AccountEvent(OrderId.of("ACC", "c" + n), 1, 7L, n + 1, new OrderEvent.OrderAccepted(ts));
  }

  static long ts(Object o) {
    return o instanceof Tick t ? t.exchangeTs() : ((AccountEvent) o).tsEvent();
  }

  /** Runs {@code ticks} cut into batches of random sizes through a fresh interleave, flattened. */
  static List<Object> run(List<Tick> ticks, List<AccountEvent> journal, Random rnd, int maxBatch) {
    OrderInterleave in = new OrderInterleave(journal, FROM, TO);
    List<OrderInterleave.Segment> segments = new ArrayList<>();
    for (int i = 0; i < ticks.size(); ) {
      int n = Math.min(ticks.size() - i, 1 + rnd.nextInt(maxBatch));
      segments.addAll(in.split(new ArrayList<>(ticks.subList(i, i + n))));
      i += n;
    }
    segments.addAll(in.rest());
    assertEquals(0, in.pending());
    List<Object> out = new ArrayList<>();
    for (OrderInterleave.Segment s : segments) {
      if (s instanceof OrderInterleave.Ticks t) {
        assertFalse(t.ticks().isEmpty(), "no empty tick segment");
        out.addAll(t.ticks());
      } else {
        OrderInterleave.Orders o = (OrderInterleave.Orders) s;
        assertFalse(o.events().isEmpty(), "no empty order segment");
        out.addAll(o.events());
      }
    }
    return out;
  }

  @Test
  void orderEventsComeInTimeWithTheTicksAfterTheTicksOfTheirTimestampWhateverTheBatches() {
    Random rnd = new Random(11);
    for (int round = 0; round < 200; round++) {
      List<Tick> ticks = new ArrayList<>();
      long ts = FROM;
      for (int i = 0; i < 300; i++) {
        ts += rnd.nextInt(3) * 10 * MS; // many shared timestamps
        ticks.add(tick(ts, i + 1));
      }
      List<AccountEvent> journal = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        long at = switch (rnd.nextInt(3)) {
          case 0 -> ticks.get(rnd.nextInt(ticks.size())).exchangeTs(); // a tie with ticks
          case 1 -> FROM - 50 * MS + rnd.nextLong(TO - FROM + 100 * MS); // anywhere, some outside the period
          default -> ts + rnd.nextInt(100) * MS; // after the last tick
        };
        journal.add(event(at, i));
      }
      Collections.shuffle(journal, rnd); // journal order is not time order across orders

      // Reference: one stable sort of ticks then events by (time, ticks before events).
      List<Object> expected = new ArrayList<>(ticks);
      journal.stream().filter(e -> e.tsEvent() >= FROM && e.tsEvent() < TO).forEach(expected::add);
      expected.sort(Comparator.comparingLong(OrderInterleaveTest::ts).thenComparingInt(o -> o instanceof Tick ? 0 : 1));

      assertEquals(expected, run(ticks, journal, rnd, 1 + rnd.nextInt(64)), "round " + round);
    }
  }

  @Test
  void anEventAtATicksTimestampWaitsForTheTicksOfThatTimestampInTheNextBatch() {
    List<Tick> ticks = List.of(tick(FROM, 1), tick(FROM + MS, 2), tick(FROM + MS, 3), tick(FROM + 2 * MS, 4));
    AccountEvent e = event(FROM + MS, 0);
    OrderInterleave in = new OrderInterleave(List.of(e), FROM, TO);
    List<OrderInterleave.Segment> first = in.split(List.of(ticks.get(0), ticks.get(1)));
    assertEquals(List.of(new OrderInterleave.Ticks(List.of(ticks.get(0), ticks.get(1)))), first, "held: another tick of its time may follow");
    List<OrderInterleave.Segment> second = in.split(List.of(ticks.get(2), ticks.get(3)));
    assertEquals(List.of(new OrderInterleave.Ticks(List.of(ticks.get(2))), new OrderInterleave.Orders(List.of(e)),
        new OrderInterleave.Ticks(List.of(ticks.get(3)))), second);
    assertTrue(in.rest().isEmpty());
  }

  @Test
  void eventsOfTheSameTimeKeepJournalOrderAndEventsOutsideThePeriodAreLeftOut() {
    AccountEvent a = event(FROM + 5 * MS, 0);
    AccountEvent b = event(FROM + 5 * MS, 1);
    AccountEvent early = event(FROM - 1, 2);
    AccountEvent atTo = event(TO, 3);
    OrderInterleave in = new OrderInterleave(List.of(b, early, a, atTo), FROM, TO);
    assertEquals(List.of(new OrderInterleave.Ticks(List.of(tick(FROM, 1)))), in.split(List.of(tick(FROM, 1))));
    assertEquals(List.of(new OrderInterleave.Orders(List.of(b, a))), in.rest());
  }
}
