package io.tickloom.cluster.replay;

import io.tickloom.protocol.Timeframe;
import java.util.List;

/**
 * A session's state as seen from outside (immutable).
 *
 * @param position exchangeTs of the last tick sent, or the run's start (the period's, or a seek's) before any
 * @param ticksSent ticks processed and handed to subscribers since creation (across seeks)
 * @param barsSent final bars (and revisions) of the requested timeframes handed to subscribers
 * @param rate ticks per second over the time the session was running (pauses excluded)
 * @param error why a {@link State#FAILED} session failed, else null
 */
public record ReplayStatus(String id, State state, List<Long> tokens, long from, long to, double speed, List<Timeframe> timeframes,
    long position, long ticksSent, long barsSent, double rate, long createdAt, String error, String owner) {

  /** WAITING (no subscriber yet), RUNNING, PAUSED, ENDED (all ticks sent), CANCELLED, FAILED. */
  public enum State {
    WAITING, RUNNING, PAUSED, ENDED, CANCELLED, FAILED;

    public boolean terminal() {
      return this == ENDED || this == CANCELLED || this == FAILED;
    }
  }

  public ReplayStatus {
    tokens = List.copyOf(tokens);
    timeframes = List.copyOf(timeframes);
  }
}
