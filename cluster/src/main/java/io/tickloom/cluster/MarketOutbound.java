package io.tickloom.cluster;

import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Tick;
import java.util.List;

/**
 * Where a node hands what it has durably stored, for downstream systems (the Kafka topics {@code ticks.normalized}
 * and {@code bars.final}). Called after the write succeeded, off the actors, possibly from several threads; an
 * implementation must not block for long (queue and send asynchronously).
 */
public interface MarketOutbound {
  void ticksStored(List<Tick> ticks);

  void barsStored(List<Bar> bars);

  MarketOutbound NONE = new MarketOutbound() {
    @Override
    public void ticksStored(List<Tick> ticks) {}

    @Override
    public void barsStored(List<Bar> bars) {}
  };
}
