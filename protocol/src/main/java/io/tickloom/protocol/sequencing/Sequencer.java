package io.tickloom.protocol.sequencing;

import io.tickloom.protocol.Gap;
import io.tickloom.protocol.TickStatus;
import java.util.Objects;

/**
 * Sequencing of one instrument's ticks after dedupe (SPEC §4 "Sequencing").
 *
 * <p>The first seq accepted starts the sequence; from then on the sequencer knows the next expected seq.
 * A jump past it opens a gap {@code [nextExpected, seq - 1]} (reported {@link Gap.State#OPEN}); each
 * missing seq that arrives later (typically from the other feed) counts as filled for its gap, and when
 * all have arrived the gap is {@link Gap.State#FILLED}. A gap still open {@code gapTimeoutNanos} after it
 * opened is declared {@link Gap.State#LOST} with the count filled so far. While any gap is open the
 * status is {@link TickStatus#STALE}, else {@link TickStatus#LIVE}; the status after {@code accept}
 * applies to the tick just accepted (the tick that opens a gap is STALE, the one that fills the last open
 * gap is LIVE).
 *
 * <p>Invariants: open gaps are disjoint, all below {@code nextExpected}, kept ordered by {@code fromSeq}
 * (which is also the order they opened in), at most {@code maxOpenGaps} of them (opening one more first
 * declares the oldest LOST). {@code nextExpected} only grows (once seq {@code Long.MAX_VALUE} arrived, it stays
 * there: no seq can follow it): a seq below it that lies in no open gap
 * (its gap was already declared lost) is {@link Outcome#LATE_AFTER_LOSS} and changes nothing but a counter.
 *
 * <p>Precondition: duplicates never reach the sequencer (a {@link Deduper} sits in front); a duplicate of
 * a missing seq would be counted as a second fill. Time is the receive clock of the ticks: {@code accept}
 * first expires gaps against its {@code receiveTs}, so the result depends only on the ticks and the
 * explicit {@link #expire} calls, never on wall time (replays give the same gaps).
 *
 * <p>Gaps reported OPEN carry {@code closedAt = 0} and {@code filled = 0}; closed ones carry the receive time
 * that closed them.
 *
 * <p>Allocation: none on the in-order path; a {@link Gap} record per gap opened or closed. Not thread-safe:
 * one owner (the instrument's entity) feeds it.
 */
public final class Sequencer {

  /** What {@link #accept} made of a seq. */
  public enum Outcome {
    /** The first seq seen: it starts the sequence. */
    FIRST,
    /** Exactly the next expected seq. */
    IN_ORDER,
    /** Above the next expected seq: the seqs in between are now an open gap. */
    GAP_OPENED,
    /** A seq missing in an open gap arrived (the gap may have become FILLED by it). */
    GAP_FILL,
    /** Below the next expected seq and in no open gap: its gap was already declared lost. Still a real tick. */
    LATE_AFTER_LOSS
  }

  private final long token;
  private final long gapTimeoutNanos;
  private final int maxOpenGaps;
  private final GapListener listener;

  // Open gaps, ascending by fromSeq (= opening order), in [0, open).
  private final long[] gapFrom;
  private final long[] gapTo;
  private final long[] gapOpenedAt;
  private final long[] gapFilled;
  private int open;

  private boolean started;
  private long nextExpected;

  private long accepted;
  private long inOrder;
  private long gapsOpened;
  private long gapsFilled;
  private long gapsLost;
  private long seqsFilled;
  private long seqsLost;
  private long lateAfterLoss;

  /**
   * @param token the instrument's token, copied into every {@link Gap}
   * @param gapTimeoutNanos how long a gap may stay open before it is declared LOST (SPEC default 2 s)
   * @param maxOpenGaps how many gaps may be open at once (e.g. 16); opening one more loses the oldest
   * @param listener told of every gap opened, filled or lost
   */
  public Sequencer(long token, long gapTimeoutNanos, int maxOpenGaps, GapListener listener) {
    if (gapTimeoutNanos <= 0) throw new IllegalArgumentException("gapTimeoutNanos must be positive, got " + gapTimeoutNanos);
    if (maxOpenGaps < 1) throw new IllegalArgumentException("maxOpenGaps must be at least 1, got " + maxOpenGaps);
    this.token = token;
    this.gapTimeoutNanos = gapTimeoutNanos;
    this.maxOpenGaps = maxOpenGaps;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.gapFrom = new long[maxOpenGaps];
    this.gapTo = new long[maxOpenGaps];
    this.gapOpenedAt = new long[maxOpenGaps];
    this.gapFilled = new long[maxOpenGaps];
  }

  /**
   * Sequences one deduplicated seq received at {@code receiveTs} (epoch nanos). First expires gaps older
   * than the timeout at {@code receiveTs}, then classifies the seq. Read {@link #status()} afterwards for
   * the tick's status. Allocates only when a gap opens or closes.
   *
   * @throws IllegalArgumentException for a negative seq
   */
  public Outcome accept(long seq, long receiveTs) {
    if (seq < 0) throw new IllegalArgumentException("seq must be non-negative, got " + seq);
    expire(receiveTs);
    accepted++;
    if (!started) {
      started = true;
      nextExpected = after(seq);
      return Outcome.FIRST;
    }
    if (seq == nextExpected) {
      nextExpected = after(seq);
      inOrder++;
      return Outcome.IN_ORDER;
    }
    if (seq > nextExpected) {
      openGap(nextExpected, seq - 1, receiveTs);
      nextExpected = after(seq);
      return Outcome.GAP_OPENED;
    }
    int i = indexOfGapContaining(seq);
    if (i < 0) {
      lateAfterLoss++;
      return Outcome.LATE_AFTER_LOSS;
    }
    gapFilled[i]++;
    seqsFilled++;
    if (gapFilled[i] == gapTo[i] - gapFrom[i] + 1) {
      gapsFilled++;
      close(i, receiveTs, Gap.State.FILLED);
    }
    return Outcome.GAP_FILL;
  }

  /** The seq after {@code seq}; {@code Long.MAX_VALUE} has none (saturates rather than wrapping negative). */
  private static long after(long seq) {
    return seq == Long.MAX_VALUE ? seq : seq + 1;
  }

  /**
   * Declares LOST every open gap opened at or before {@code nowReceiveTs - gapTimeoutNanos}. Call it from
   * a timer (heartbeat) so an idle instrument returns to LIVE; {@link #accept} calls it too. Allocates only
   * for the gaps it closes.
   */
  public void expire(long nowReceiveTs) {
    int i = 0;
    while (i < open) {
      if (nowReceiveTs - gapOpenedAt[i] >= gapTimeoutNanos) {
        lose(i, nowReceiveTs);
      } else {
        i++;
      }
    }
  }

  /** STALE while any gap is open, else LIVE. */
  public TickStatus status() {
    return open > 0 ? TickStatus.STALE : TickStatus.LIVE;
  }

  public boolean hasOpenGaps() {
    return open > 0;
  }

  public int openGapCount() {
    return open;
  }

  /** The seq expected next, or -1 before the first seq. */
  public long nextExpected() {
    return started ? nextExpected : -1L;
  }

  /** Seqs still missing across the open gaps. */
  public long missing() {
    long m = 0;
    for (int i = 0; i < open; i++) m += gapTo[i] - gapFrom[i] + 1 - gapFilled[i];
    return m;
  }

  public long token() {
    return token;
  }

  /** Seqs accepted (every outcome). */
  public long accepted() {
    return accepted;
  }

  public long inOrder() {
    return inOrder;
  }

  public long gapsOpened() {
    return gapsOpened;
  }

  public long gapsFilled() {
    return gapsFilled;
  }

  public long gapsLost() {
    return gapsLost;
  }

  /** Missing seqs that arrived while their gap was open. */
  public long seqsFilled() {
    return seqsFilled;
  }

  /** Seqs still missing when their gap was declared lost. */
  public long seqsLost() {
    return seqsLost;
  }

  /** Seqs that arrived after their gap had been declared lost. */
  public long lateAfterLoss() {
    return lateAfterLoss;
  }

  private void openGap(long from, long to, long openedAt) {
    if (open == maxOpenGaps) lose(0, openedAt);
    gapFrom[open] = from;
    gapTo[open] = to;
    gapOpenedAt[open] = openedAt;
    gapFilled[open] = 0;
    open++;
    gapsOpened++;
    listener.onGap(new Gap(token, from, to, openedAt, 0L, 0L, Gap.State.OPEN));
  }

  private void lose(int i, long closedAt) {
    gapsLost++;
    seqsLost += gapTo[i] - gapFrom[i] + 1 - gapFilled[i];
    close(i, closedAt, Gap.State.LOST);
  }

  /** Removes gap {@code i} (keeping the order of the rest), then tells the listener. */
  private void close(int i, long closedAt, Gap.State state) {
    Gap gap = new Gap(token, gapFrom[i], gapTo[i], gapOpenedAt[i], closedAt, gapFilled[i], state);
    int tail = open - i - 1;
    if (tail > 0) {
      System.arraycopy(gapFrom, i + 1, gapFrom, i, tail);
      System.arraycopy(gapTo, i + 1, gapTo, i, tail);
      System.arraycopy(gapOpenedAt, i + 1, gapOpenedAt, i, tail);
      System.arraycopy(gapFilled, i + 1, gapFilled, i, tail);
    }
    open--;
    listener.onGap(gap);
  }

  /** Binary search over the ordered, disjoint open gaps; -1 when {@code seq} is in none. */
  private int indexOfGapContaining(long seq) {
    int lo = 0;
    int hi = open - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (seq < gapFrom[mid]) {
        hi = mid - 1;
      } else if (seq > gapTo[mid]) {
        lo = mid + 1;
      } else {
        return mid;
      }
    }
    return -1;
  }
}
