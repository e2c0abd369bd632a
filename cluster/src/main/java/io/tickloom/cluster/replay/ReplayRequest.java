package io.tickloom.cluster.replay;

import io.tickloom.protocol.Timeframe;
import java.util.List;

/**
 * What to replay: the stored ticks of {@code tokens} with {@code from <= exchangeTs < to} (epoch nanoseconds), at
 * {@code speed} times real time ({@link #MAX}: as fast as backpressure allows), building and streaming the bars and
 * indicator values of {@code timeframes} (configured ones; a timeframe's output depends on its own lanes only, so it
 * is the same whichever others are built).
 *
 * @param paused create the session paused: it starts on {@code resume}, not on its first subscriber
 * @param kafka also publish the replayed ticks to the node's replay topic ({@link KafkaReplayPublisher})
 * @param account null, or the account whose journaled order events are interleaved with the ticks by time
 *     ({@link ReplayOutput.Orders}); the caller has checked the requester may read it
 * @param owner null, or who created the session (the HTTP layer: the id of the API key): only it, or an admin, may
 *     see, watch and control the session
 */
public record ReplayRequest(List<Long> tokens, long from, long to, double speed, List<Timeframe> timeframes, boolean paused, boolean kafka,
    String account, String owner) {
  /** As fast as backpressure allows. */
  public static final double MAX = Double.POSITIVE_INFINITY;

  /** Without an owner. */
  public ReplayRequest(List<Long> tokens, long from, long to, double speed, List<Timeframe> timeframes, boolean paused, boolean kafka,
      String account) {
    this(tokens, from, to, speed, timeframes, paused, kafka, account, null);
  }

  /** Without an account. */
  public ReplayRequest(List<Long> tokens, long from, long to, double speed, List<Timeframe> timeframes, boolean paused, boolean kafka) {
    this(tokens, from, to, speed, timeframes, paused, kafka, null, null);
  }

  /** Without Kafka publication. */
  public ReplayRequest(List<Long> tokens, long from, long to, double speed, List<Timeframe> timeframes, boolean paused) {
    this(tokens, from, to, speed, timeframes, paused, false, null, null);
  }

  /** This request created by {@code who}. */
  public ReplayRequest withOwner(String who) {
    return new ReplayRequest(tokens, from, to, speed, timeframes, paused, kafka, account, who);
  }

  public ReplayRequest {
    tokens = List.copyOf(tokens);
    timeframes = List.copyOf(timeframes);
  }

  public boolean max() {
    return speed == MAX;
  }
}
