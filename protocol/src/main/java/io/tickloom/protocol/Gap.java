package io.tickloom.protocol;

/**
 * A hole in one instrument's sequence: seqs {@code [fromSeq, toSeq]} were missing when {@code seq toSeq+1}
 * (or later) arrived at {@code openedAt}. {@code filled} of them arrived later from some feed. The gap is
 * {@code OPEN} until it is whole ({@code FILLED}) or {@code gap-timeout} passes ({@code LOST}, with the
 * still-missing count {@code toSeq - fromSeq + 1 - filled}). Times are receive-clock epoch nanoseconds.
 */
public record Gap(long token, long fromSeq, long toSeq, long openedAt, long closedAt, long filled, State state)
    implements CborSerializable {

  public enum State { OPEN, FILLED, LOST }

  public long size() {
    return toSeq - fromSeq + 1;
  }

  public long missing() {
    return size() - filled;
  }
}
