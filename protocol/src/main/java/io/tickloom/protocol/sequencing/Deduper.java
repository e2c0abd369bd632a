package io.tickloom.protocol.sequencing;

/**
 * Bounded-memory duplicate filter for one instrument (SPEC §4 "Dedupe").
 *
 * <p>Keys are the SPEC's dedupe key ({@link io.tickloom.protocol.Tick#dedupeKey()}: the trade id when
 * present, else the feed-independent seq): non-negative and mostly increasing. The filter remembers the
 * last {@code window} keys below and including the highest key seen, {@code (highest - window, highest]},
 * in a ring of bits ({@code window / 64} longs, allocated once). A key in that range is answered exactly;
 * a key at or below {@code highest - window} can no longer be told apart from a duplicate and is refused
 * as too old. A key above {@code highest} slides the window forward, clearing the bits it leaves behind.
 *
 * <p>Invariants: a key is accepted at most once while it stays in the window; memory never grows.
 * Cost: O(1) per call for keys inside the window; a forward jump of {@code d} keys clears
 * {@code min(d, window) / 64} words (each bit is cleared once per slide, so amortised O(1)).
 * Allocates nothing after construction. Not thread-safe: one owner (the instrument's entity) feeds it.
 */
public final class Deduper {

  private static final long NONE = -1L;

  private final long[] words;
  private final int window;
  private final int mask;
  private long highest = NONE;
  private long accepted;
  private long duplicates;
  private long tooOld;

  /**
   * @param window how many keys below the highest are remembered; a power of two, at least 64
   *     (e.g. 65536 = 8 KiB per instrument)
   */
  public Deduper(int window) {
    if (window < 64 || Integer.bitCount(window) != 1) {
      throw new IllegalArgumentException("window must be a power of two >= 64, got " + window);
    }
    this.window = window;
    this.mask = window - 1;
    this.words = new long[window >>> 6];
  }

  /**
   * Records {@code key} and answers whether this is its first sight. False for a key already seen
   * (counted in {@link #duplicates()}) and for a key that fell out of the window below the highest key
   * (counted in {@link #tooOld()}). Allocates nothing.
   *
   * @throws IllegalArgumentException for a negative key
   */
  public boolean firstSight(long key) {
    if (key < 0) throw new IllegalArgumentException("dedupe key must be non-negative, got " + key);
    if (key > highest) {
      advanceTo(key);
      set(key);
      accepted++;
      return true;
    }
    if (key <= highest - window) {
      tooOld++;
      return false;
    }
    if (isSet(key)) {
      duplicates++;
      return false;
    }
    set(key);
    accepted++;
    return true;
  }

  /**
   * Whether {@code key} would be refused (seen, or too old) without recording anything. Allocates nothing.
   */
  public boolean seen(long key) {
    if (key < 0 || key > highest) return false;
    return key <= highest - window || isSet(key);
  }

  /** The highest key seen, or -1 before the first. */
  public long highest() {
    return highest;
  }

  public int window() {
    return window;
  }

  /** Keys accepted as first sights. */
  public long accepted() {
    return accepted;
  }

  /** Keys refused because they were seen before (inside the window). */
  public long duplicates() {
    return duplicates;
  }

  /** Keys refused because they were at or below {@code highest - window}. */
  public long tooOld() {
    return tooOld;
  }

  /** Clears the bits of keys {@code (highest, key]} so the ring represents {@code (key - window, key]}. */
  private void advanceTo(long key) {
    long from = highest + 1; // first key whose slot gets reused
    highest = key;
    if (from == 0) return; // nothing recorded yet: the ring is all zeros
    if (key - from + 1 >= window) {
      java.util.Arrays.fill(words, 0L);
      return;
    }
    int start = (int) (from & mask);
    int end = (int) (key & mask); // inclusive
    if (start <= end) {
      clearRange(start, end);
    } else {
      clearRange(start, mask);
      clearRange(0, end);
    }
  }

  /** Clears ring bits {@code [from, to]} (inclusive, from &lt;= to). */
  private void clearRange(int from, int to) {
    int w0 = from >>> 6;
    int w1 = to >>> 6;
    long firstMask = -1L << (from & 63);
    long lastMask = -1L >>> (63 - (to & 63));
    if (w0 == w1) {
      words[w0] &= ~(firstMask & lastMask);
      return;
    }
    words[w0] &= ~firstMask;
    for (int w = w0 + 1; w < w1; w++) words[w] = 0L;
    words[w1] &= ~lastMask;
  }

  private boolean isSet(long key) {
    int slot = (int) (key & mask);
    return (words[slot >>> 6] & (1L << slot)) != 0;
  }

  private void set(long key) {
    int slot = (int) (key & mask);
    words[slot >>> 6] |= 1L << slot;
  }
}
