package io.tickloom.cluster.replay;

import io.tickloom.cluster.oms.OrderService.AccountEvent;
import io.tickloom.protocol.Tick;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Interleaves an account's journaled order events with a replay's merged ticks by time (plain Java, no I/O). The
 * ticks come in batches in global exchange-time order ({@link #split}); the order events are given up front.
 *
 * <p><b>Order.</b> An order event goes after every tick with {@code exchangeTs <= tsEvent} and before every tick with
 * {@code exchangeTs > tsEvent}: on a tie the ticks of that timestamp come first (what the market showed at that instant,
 * then what the account did). Order events sharing a {@code tsEvent} keep their journal order. An event is released
 * only once a later tick (or the end, {@link #rest}) shows that no tick of its time is still to come, so the output
 * depends only on the inputs, never on where the batches are cut.
 *
 * <p>Not thread-safe; one per run. Allocates a segment list per batch and copies the tick runs between events.
 */
final class OrderInterleave {
  /** A run of ticks or of order events, in output order. */
  sealed interface Segment {
    /** The time of the segment's first element: what the pacer waits for. */
    long firstTs();
  }

  record Ticks(List<Tick> ticks) implements Segment {
    @Override
    public long firstTs() {
      return ticks.get(0).exchangeTs();
    }
  }

  record Orders(List<AccountEvent> events) implements Segment {
    @Override
    public long firstTs() {
      return events.get(0).tsEvent();
    }
  }

  private final List<AccountEvent> events;
  private int next;

  /** @param journalOrder the account's events in journal order; those outside {@code [from, to)} are left out */
  OrderInterleave(List<AccountEvent> journalOrder, long from, long to) {
    List<AccountEvent> in = new ArrayList<>();
    for (AccountEvent e : journalOrder) if (e.tsEvent() >= from && e.tsEvent() < to) in.add(e);
    in.sort(Comparator.comparingLong(AccountEvent::tsEvent)); // stable: journal order on ties
    this.events = in;
  }

  /** How many order events are still to come. */
  int pending() {
    return events.size() - next;
  }

  /** {@code batch} (exchange-time order, continuing the previous batches) with the order events due before its ticks. */
  List<Segment> split(List<Tick> batch) {
    if (next == events.size() || batch.isEmpty()) return List.of(new Ticks(batch));
    List<Segment> out = new ArrayList<>(3);
    int start = 0;
    for (int i = 0, n = batch.size(); i < n && next < events.size(); i++) {
      long ts = batch.get(i).exchangeTs();
      if (events.get(next).tsEvent() >= ts) continue;
      int first = next;
      while (next < events.size() && events.get(next).tsEvent() < ts) next++;
      if (i > start) out.add(new Ticks(new ArrayList<>(batch.subList(start, i))));
      out.add(new Orders(List.copyOf(events.subList(first, next))));
      start = i;
    }
    out.add(new Ticks(start == 0 ? batch : new ArrayList<>(batch.subList(start, batch.size()))));
    return out;
  }

  /** The order events after the last tick (the ticks have ended): none or one segment. */
  List<Segment> rest() {
    if (next == events.size()) return List.of();
    List<Segment> out = List.of(new Orders(List.copyOf(events.subList(next, events.size()))));
    next = events.size();
    return out;
  }
}
