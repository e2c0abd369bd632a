package io.tickloom.cluster.replay;

import io.tickloom.persistence.Page;
import io.tickloom.persistence.TickQueries;
import io.tickloom.protocol.Tick;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A tick store in memory with the store's order and keyset pages (cursor: the position), counting its reads. */
final class InMemoryTicks implements TickQueries {
  private final List<Tick> all;
  final AtomicInteger pages = new AtomicInteger();

  InMemoryTicks(List<Tick> ticks) {
    all = new ArrayList<>(ticks);
    all.sort(Comparator.comparingLong(Tick::token).thenComparingLong(Tick::exchangeTs).thenComparingLong(Tick::dedupeKey));
  }

  @Override
  public Page<Tick> page(long token, long from, long to, int limit, String cursor) {
    pages.incrementAndGet();
    List<Tick> mine = all.stream().filter(t -> t.token() == token && t.exchangeTs() >= from && t.exchangeTs() < to).toList();
    int start = cursor == null ? 0 : Integer.parseInt(cursor);
    int end = Math.min(mine.size(), start + limit);
    return new Page<>(mine.subList(start, end), end < mine.size() ? Integer.toString(end) : null);
  }

  @Override
  public List<Tick> latest(long token, int n) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void scan(long token, long from, long to, Consumer<Tick> sink) {
    all.stream().filter(t -> t.token() == token && t.exchangeTs() >= from && t.exchangeTs() < to).forEach(sink);
  }
}
