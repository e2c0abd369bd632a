package io.tickloom.protocol.book;

import java.util.Arrays;

/**
 * One side of a book: its occupied price levels and their aggregated sizes, kept in two sorted primitive arrays.
 *
 * <p>Layout: {@code keys[0..n)} ascending, where a key is the price for bids and the negated price for asks, so that
 * on both sides the <b>best level is the last element</b> and level {@code i} from the top is {@code n - 1 - i}.
 * Reading the best level is O(1), the top N levels O(N); a lookup is a check of the best level and then a binary
 * search; an insert or removal moves only the levels better than it (few: feeds mostly touch the top).
 *
 * <p>Invariants: keys strictly ascending, every size {@code > 0} (a level reaching 0 is removed), {@code n <=
 * capacity}. Allocation: none, except doubling the arrays when a side holds more levels than ever before (amortised,
 * and avoidable by sizing the book). Not thread-safe.
 */
final class PriceLevels {
  /** {@link #add} result: the change would make the level's size negative; nothing changed. */
  static final long WOULD_BE_NEGATIVE = -1;
  /** {@link #add} result: a decrease at a price without a level; nothing changed. */
  static final long NO_LEVEL = -2;

  private final boolean bid;
  private long[] keys;
  private long[] sizes;
  private int n;

  PriceLevels(boolean bid, int capacity) {
    this.bid = bid;
    int c = Math.max(4, capacity);
    this.keys = new long[c];
    this.sizes = new long[c];
  }

  boolean isBid() {
    return bid;
  }

  int count() {
    return n;
  }

  /** Price of level {@code level} from the top (0 = best); {@code level < count()}. */
  long price(int level) {
    return toPrice(keys[n - 1 - level]);
  }

  /** Size of level {@code level} from the top (0 = best); {@code level < count()}. */
  long size(int level) {
    return sizes[n - 1 - level];
  }

  long bestPrice() {
    return n == 0 ? OrderBook.NO_PRICE : toPrice(keys[n - 1]);
  }

  long bestSize() {
    return n == 0 ? 0 : sizes[n - 1];
  }

  /** Size at {@code price}, 0 when there is no level there. */
  long sizeAt(long price) {
    int i = find(toKey(price));
    return i >= 0 ? sizes[i] : 0;
  }

  /** Sum of the sizes of the top {@code levels} levels (all when fewer), {@code Long.MAX_VALUE} when it does not fit. */
  long depth(int levels) {
    long sum = 0;
    for (int i = n - 1, stop = Math.max(0, n - levels); i >= stop; i--) {
      sum += sizes[i];
      if (sum < 0) return Long.MAX_VALUE; // sizes are positive: an overflow wraps negative, never back to positive
    }
    return sum;
  }

  /** Sets the size at {@code price}: {@code size > 0} creates or replaces the level, 0 removes it. */
  void set(long price, long size) {
    long key = toKey(price);
    int i = find(key);
    if (i >= 0) {
      if (size == 0) remove(i);
      else sizes[i] = size;
    } else if (size != 0) {
      insert(-i - 1, key, size);
    }
  }

  /**
   * Adds {@code delta} (any sign) to the size at {@code price}, creating or removing the level as needed.
   *
   * @return the new size, or {@link #WOULD_BE_NEGATIVE} / {@link #NO_LEVEL} when refused (nothing changed)
   */
  long add(long price, long delta) {
    long key = toKey(price);
    int i = find(key);
    if (i >= 0) {
      long s = sizes[i] + delta;
      if (s < 0) return WOULD_BE_NEGATIVE;
      if (s == 0) remove(i);
      else sizes[i] = s;
      return s;
    }
    if (delta < 0) return NO_LEVEL;
    if (delta > 0) insert(-i - 1, key, delta);
    return delta;
  }

  /** Keeps only the best {@code levels} levels. */
  void truncate(int levels) {
    if (n <= levels) return;
    int drop = n - levels;
    System.arraycopy(keys, drop, keys, 0, levels);
    System.arraycopy(sizes, drop, sizes, 0, levels);
    n = levels;
  }

  void clear() {
    n = 0;
  }

  /** True when {@code price} is strictly worse than every level on this side (or the side is empty). */
  boolean isBelowAll(long price) {
    return n == 0 || toKey(price) < keys[0];
  }

  private long toKey(long price) {
    return bid ? price : -price;
  }

  private long toPrice(long key) {
    return bid ? key : -key;
  }

  /** Index of {@code key}, or {@code -(insertion point) - 1}. */
  private int find(long key) {
    int hi = n - 1;
    if (hi >= 0) {
      long top = keys[hi];
      if (top == key) return hi;
      if (key > top) return -(n + 1);
    }
    int lo = 0;
    hi--;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long k = keys[mid];
      if (k < key) lo = mid + 1;
      else if (k > key) hi = mid - 1;
      else return mid;
    }
    return -(lo + 1);
  }

  private void insert(int at, long key, long size) {
    if (n == keys.length) {
      keys = Arrays.copyOf(keys, n * 2);
      sizes = Arrays.copyOf(sizes, n * 2);
    }
    System.arraycopy(keys, at, keys, at + 1, n - at);
    System.arraycopy(sizes, at, sizes, at + 1, n - at);
    keys[at] = key;
    sizes[at] = size;
    n++;
  }

  private void remove(int at) {
    System.arraycopy(keys, at + 1, keys, at, n - at - 1);
    System.arraycopy(sizes, at + 1, sizes, at, n - at - 1);
    n--;
  }

  /** Checks the invariants; throws {@link IllegalStateException} naming the first broken one. For tests. */
  void validate(String name) {
    for (int i = 0; i < n; i++) {
      if (sizes[i] <= 0) throw new IllegalStateException(name + ": level " + toPrice(keys[i]) + " has size " + sizes[i]);
      if (i > 0 && keys[i - 1] >= keys[i]) throw new IllegalStateException(name + ": levels not strictly sorted at " + i);
    }
  }
}
