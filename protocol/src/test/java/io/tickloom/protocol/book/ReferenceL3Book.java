package io.tickloom.protocol.book;

import io.tickloom.protocol.Side;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The slow, obviously correct L3 book the differential test holds {@link L3Book} to: a {@link HashMap} of orders and
 * a {@link TreeMap} of levels per side, each operation written out plainly.
 */
final class ReferenceL3Book {
  record Order(Side side, long price, long size) {}

  final Map<Long, Order> orders = new HashMap<>();
  final TreeMap<Long, Long> bids = new TreeMap<>(Collections.reverseOrder());
  final TreeMap<Long, Long> asks = new TreeMap<>();
  final Map<BookResult, Long> events = new EnumMap<>(BookResult.class);
  boolean flagged;

  private BookResult report(BookResult kind) {
    events.merge(kind, 1L, Long::sum);
    flagged = true;
    return kind;
  }

  private TreeMap<Long, Long> levels(Side s) {
    return s == Side.BUY ? bids : asks;
  }

  private void changeLevel(Side s, long price, long delta) {
    long now = levels(s).getOrDefault(price, 0L) + delta;
    if (now < 0) throw new AssertionError("reference level below zero");
    if (now == 0) levels(s).remove(price);
    else levels(s).put(price, now);
  }

  BookResult add(long id, Side side, long price, long size) {
    if (size <= 0) return report(BookResult.NEGATIVE_SIZE);
    if (orders.containsKey(id)) return report(BookResult.DUPLICATE_ORDER);
    if (levels(side).getOrDefault(price, 0L) > Long.MAX_VALUE - size) return report(BookResult.NEGATIVE_SIZE);
    orders.put(id, new Order(side, price, size));
    changeLevel(side, price, size);
    if (!bids.isEmpty() && !asks.isEmpty()) {
      if (bids.firstKey() > asks.firstKey()) return report(BookResult.CROSSED);
      if (bids.firstKey().longValue() == asks.firstKey().longValue()) return report(BookResult.LOCKED);
    }
    return BookResult.OK;
  }

  BookResult reduce(long id, long size) {
    if (size <= 0) return report(BookResult.NEGATIVE_SIZE);
    Order o = orders.get(id);
    if (o == null) return report(BookResult.UNKNOWN_ORDER);
    if (size > o.size()) return report(BookResult.OVER_CANCEL);
    changeLevel(o.side(), o.price(), -size);
    if (size == o.size()) orders.remove(id);
    else orders.put(id, new Order(o.side(), o.price(), o.size() - size));
    return BookResult.OK;
  }

  BookResult delete(long id) {
    Order o = orders.remove(id);
    if (o == null) return report(BookResult.UNKNOWN_ORDER);
    changeLevel(o.side(), o.price(), -o.size());
    return BookResult.OK;
  }

  void beginSnapshot() {
    orders.clear();
    bids.clear();
    asks.clear();
    flagged = false;
  }

  BookResult endSnapshot() {
    if (bids.isEmpty() || asks.isEmpty()) return BookResult.OK;
    if (bids.firstKey() > asks.firstKey()) return report(BookResult.CROSSED);
    if (bids.firstKey().longValue() == asks.firstKey().longValue()) return report(BookResult.LOCKED);
    return BookResult.OK;
  }
}
