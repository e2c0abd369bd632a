package io.tickloom.protocol.sequencing;

/**
 * Keeps one absurd sequence number or trade id from swallowing an instrument's later data. The {@link Deduper} slides its
 * window to the highest key it has seen and the {@link Sequencer} its expected seq to the highest seq: one tick claiming
 * seq 2^62 would make every later, honest tick "too old" or "late". A key more than {@code maxJump} beyond the highest seen
 * so far is therefore admitted only when {@code confirmations - 1} other keys confirm the new range: later ticks of the
 * same batch, or jumps refused recently, within {@code maxJump} of it. A feed that really restarted its numbering, or
 * came back after a long outage, confirms itself (at once when its first batch holds a few ticks, after a few refused
 * ticks when they trickle in one by one); a stray value does not, and is refused as an implausible jump, counted and
 * logged by the caller, while the honest ticks around it go on.
 *
 * <p>Keys below the highest (late ticks, gap fills) are never this guard's business. Allocates nothing. Not thread-safe:
 * one owner (the instrument's entity) feeds it.
 */
public final class JumpGuard {
  /** Refused jumpers remembered to confirm a later one. */
  private static final int MEMORY = 8;

  private final long maxJump;
  private final int confirmations;
  private final long[] refused = new long[MEMORY];
  private int remembered;
  private int next;

  /**
   * @param maxJump how far beyond the highest key a key may lie without confirmation (e.g. 10,000,000)
   * @param confirmations keys in a new range needed to take it, the jumper included (at least 1: 1 turns the guard off)
   */
  public JumpGuard(long maxJump, int confirmations) {
    if (maxJump < 1 || confirmations < 1) throw new IllegalArgumentException("maxJump and confirmations must be positive");
    this.maxJump = maxJump;
    this.confirmations = confirmations;
  }

  /** The keys that follow the one judged, in the same batch. */
  @FunctionalInterface
  public interface Following {
    /** The key at position {@code i} (from the judged one's position + 1 on), or -1 when that tick has none. */
    long key(int i);
  }

  /**
   * Whether {@code key} may go on, {@code highest} being the highest key seen so far (negative: none yet, then any key
   * passes), with {@code following} the keys of the rest of the batch at positions {@code [from, to)}. A refused key is
   * remembered (it may confirm a later jump).
   */
  public boolean admit(long key, long highest, Following following, int from, int to) {
    if (confirmations <= 1 || highest < 0 || key - highest <= maxJump) return true;
    int confirmed = 1;
    for (int k = 0; k < remembered && confirmed < confirmations; k++) {
      if (near(refused[k], key)) confirmed++;
    }
    for (int i = from; i < to && confirmed < confirmations; i++) {
      long other = following.key(i);
      if (other >= 0 && other != key && near(other, key)) confirmed++;
    }
    if (confirmed >= confirmations) {
      remembered = 0;
      return true;
    }
    refused[next] = key;
    next = (next + 1) % MEMORY;
    remembered = Math.min(MEMORY, remembered + 1);
    return false;
  }

  private boolean near(long a, long b) {
    return Math.abs(a - b) <= maxJump;
  }

  public long maxJump() {
    return maxJump;
  }
}
