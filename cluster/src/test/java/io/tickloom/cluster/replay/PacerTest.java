package io.tickloom.cluster.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PacerTest {
  static final long SEC = 1_000_000_000L;

  @Test
  void tenTimesRealTimeReleasesTenSecondsOfTicksPerSecond() {
    Pacer p = new Pacer(10);
    assertEquals(0, p.delay(100 * SEC, 0), "the first tick anchors the clock");
    assertEquals(SEC, p.delay(110 * SEC, 0));
    assertEquals(SEC / 2, p.delay(110 * SEC, SEC / 2));
    assertEquals(0, p.delay(105 * SEC, SEC), "overdue ticks go at once");
  }

  @Test
  void timeSpentPausedIsNotCaughtUpAfterwards() {
    Pacer p = new Pacer(1);
    p.delay(0, 0);
    p.pause(2 * SEC);
    p.resume(7 * SEC);
    assertEquals(4 * SEC, p.delay(6 * SEC, 7 * SEC), "due at 6 s + 5 s paused = 11 s");
  }

  @Test
  void maxSpeedNeverWaitsAndResetReanchors() {
    Pacer max = new Pacer(ReplayRequest.MAX);
    max.delay(0, 0);
    assertEquals(0, max.delay(1_000 * SEC, 0));
    assertEquals(0, max.window());
    Pacer p = new Pacer(2);
    p.delay(0, 0);
    p.reset();
    assertEquals(0, p.delay(500 * SEC, 10), "after a seek the next tick anchors again");
    assertEquals(SEC, p.delay(502 * SEC, 10));
    assertEquals(40_000_000L, p.window(), "20 ms of wall time at 2x");
  }
}
