package io.tickloom.protocol.book;

import io.tickloom.protocol.Side;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The slow, obviously correct L2 book the differential test holds {@link L2Book} to: a {@link TreeMap} per side
 * (bids highest first, asks lowest first) and the sync rule written out case by case from Binance's documentation.
 */
final class ReferenceL2Book {
  final L2Book.SyncRule rule;
  final TreeMap<Long, Long> bids = new TreeMap<>(Collections.reverseOrder());
  final TreeMap<Long, Long> asks = new TreeMap<>();
  final Map<BookResult, Long> events = new EnumMap<>(BookResult.class);
  boolean flagged;
  boolean haveSnapshot;
  boolean appliedSinceSnapshot;
  long lastUpdateId;

  ReferenceL2Book(L2Book.SyncRule rule) {
    this.rule = rule;
    this.haveSnapshot = rule == L2Book.SyncRule.NONE;
    this.appliedSinceSnapshot = rule == L2Book.SyncRule.NONE;
  }

  TreeMap<Long, Long> side(Side s) {
    return s == Side.BUY ? bids : asks;
  }

  private BookResult report(BookResult kind) {
    events.merge(kind, 1L, Long::sum);
    flagged = true;
    return kind;
  }

  BookResult set(Side s, long price, long size) {
    if (size < 0) return report(BookResult.NEGATIVE_SIZE);
    if (size == 0) side(s).remove(price);
    else side(s).put(price, size);
    return BookResult.OK;
  }

  BookResult add(Side s, long price, long delta) {
    Long old = side(s).get(price);
    if (old == null) {
      if (delta < 0) return report(BookResult.UNKNOWN_LEVEL);
      if (delta > 0) side(s).put(price, delta);
      return BookResult.OK;
    }
    long now = old + delta;
    if (now < 0) return report(BookResult.NEGATIVE_SIZE);
    if (now == 0) side(s).remove(price);
    else side(s).put(price, now);
    return BookResult.OK;
  }

  BookResult checkCrossing() {
    if (bids.isEmpty() || asks.isEmpty()) return BookResult.OK;
    long bid = bids.firstKey();
    long ask = asks.firstKey();
    if (bid > ask) return report(BookResult.CROSSED);
    if (bid == ask) return report(BookResult.LOCKED);
    return BookResult.OK;
  }

  void truncate(int n) {
    while (bids.size() > n) bids.pollLastEntry();
    while (asks.size() > n) asks.pollLastEntry();
  }

  void beginSnapshot(long id) {
    bids.clear();
    asks.clear();
    flagged = false;
    lastUpdateId = id;
    haveSnapshot = true;
    appliedSinceSnapshot = rule == L2Book.SyncRule.NONE;
  }

  BookResult beginDelta(long first, long last, long previous) {
    switch (rule) {
      case NONE:
        return BookResult.OK;
      case SPOT:
        if (!haveSnapshot) return BookResult.NOT_SYNCED;
        if (!appliedSinceSnapshot) {
          if (last <= lastUpdateId) return BookResult.STALE;
          if (first <= lastUpdateId + 1 && lastUpdateId + 1 <= last) return accept(last);
          return gap();
        }
        if (first == lastUpdateId + 1 && first <= last) return accept(last);
        if (last <= lastUpdateId) return BookResult.STALE;
        return gap();
      case FUTURES:
        if (!haveSnapshot) return BookResult.NOT_SYNCED;
        if (!appliedSinceSnapshot) {
          if (last < lastUpdateId) return BookResult.STALE;
          if (first <= lastUpdateId && lastUpdateId <= last) return accept(last);
          return gap();
        }
        if (previous == lastUpdateId && first <= last) return accept(last);
        if (last <= lastUpdateId) return BookResult.STALE;
        return gap();
      default:
        throw new AssertionError(rule);
    }
  }

  private BookResult accept(long last) {
    appliedSinceSnapshot = true;
    lastUpdateId = last;
    return BookResult.OK;
  }

  private BookResult gap() {
    haveSnapshot = false;
    return report(BookResult.SEQUENCE_GAP);
  }

  boolean needsSnapshot() {
    return flagged || !haveSnapshot;
  }

  /** The side's levels, best first, as "price x size" strings (for readable failures). */
  static List<String> levels(TreeMap<Long, Long> side) {
    List<String> out = new ArrayList<>();
    side.forEach((p, s) -> out.add(p + "x" + s));
    return out;
  }
}
