package io.tickloom.cluster.replay;

/**
 * Real-time pacing of a replay: a tick of exchange time {@code ts} is due {@code (ts - first) / speed} after the first
 * tick was released, plus the time spent paused. Thread-safe (its session's commands and its stream both use it).
 */
final class Pacer {
  private final double speed;
  private long anchorEvent;
  private long anchorWall;
  private boolean anchored;
  private long pausedAt = -1;

  /** @param speed times real time; {@link ReplayRequest#MAX} releases everything at once */
  Pacer(double speed) {
    this.speed = speed;
  }

  /** Nanoseconds to wait, from {@code nowNanos} (a {@link System#nanoTime} reading), before releasing a tick at {@code eventTs}. */
  synchronized long delay(long eventTs, long nowNanos) {
    if (speed == ReplayRequest.MAX) return 0;
    if (!anchored) {
      anchored = true;
      anchorEvent = eventTs;
      anchorWall = nowNanos;
      return 0;
    }
    double after = (eventTs - anchorEvent) / speed;
    long due = anchorWall + (long) Math.min(after, (double) Long.MAX_VALUE / 2);
    return Math.max(0, due - nowNanos);
  }

  synchronized void pause(long nowNanos) {
    if (pausedAt < 0) pausedAt = nowNanos;
  }

  synchronized void resume(long nowNanos) {
    if (pausedAt < 0) return;
    anchorWall += nowNanos - pausedAt;
    pausedAt = -1;
  }

  /** A new run (seek): the next tick released anchors the clock again. */
  synchronized void reset() {
    anchored = false;
  }

  /** Exchange time one batch may span: what {@code speed} covers in 20 ms of wall time (0 at max speed: no bound). */
  long window() {
    if (speed == ReplayRequest.MAX) return 0;
    return Math.max(1, (long) Math.min(20_000_000L * speed, (double) Long.MAX_VALUE / 4));
  }
}
