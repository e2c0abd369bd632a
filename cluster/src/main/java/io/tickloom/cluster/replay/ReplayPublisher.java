package io.tickloom.cluster.replay;

import io.tickloom.protocol.Tick;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Where a replay that asks for it ({@link ReplayRequest#kafka()}) publishes its ticks, batch by batch. */
public interface ReplayPublisher {
  /** Publishes {@code ticks} of replay {@code replayId}; completes once they are acknowledged (the replay waits: backpressure). */
  CompletionStage<Void> publish(String replayId, List<Tick> ticks);
}
