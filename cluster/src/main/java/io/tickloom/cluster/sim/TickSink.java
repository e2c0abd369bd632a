package io.tickloom.cluster.sim;

import io.tickloom.protocol.Tick;

/** Receives the ticks a {@link SimulatedFeed} emits, on the polling thread, in delivery order. */
@FunctionalInterface
public interface TickSink {
  void accept(Tick tick);
}
