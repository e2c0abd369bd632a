package io.tickloom.cluster;

import io.tickloom.protocol.Bar;
import io.tickloom.protocol.CborSerializable;
import io.tickloom.protocol.Gap;
import io.tickloom.protocol.Tick;
import java.util.List;

/**
 * What an instrument entity publishes to its instrument's topic (see {@link LiveMarket#subscribe}).
 * One {@link Ticks} per processed ingest batch (not per tick), so fan-out costs one message per batch.
 */
public sealed interface MarketEvent extends CborSerializable {
  long token();

  /** Accepted ticks of one batch in processing order, each with its LIVE/STALE status. */
  record Ticks(long token, List<Tick> ticks) implements MarketEvent {}

  /** A bar update: forming ({@code isFinal=false}), final, or a revision of a final bar. */
  record BarUpdate(long token, Bar bar) implements MarketEvent {}

  /** A gap opened, filled or lost. */
  record GapUpdate(long token, Gap gap) implements MarketEvent {}
}
