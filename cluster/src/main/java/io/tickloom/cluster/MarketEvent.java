package io.tickloom.cluster;

import io.tickloom.protocol.Bar;
import io.tickloom.protocol.CborSerializable;
import io.tickloom.protocol.Gap;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timeframe;
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

  /**
   * Indicator values of one bar of {@code tf}: confirmed ({@code isFinal}, on a final bar, again when a revision
   * changes it or an earlier bar) or forming (peeked on the live bar, state unchanged). {@code values[i]} belongs to
   * {@code names.get(i)} (output names such as {@code SMA_20}, {@code MACD_12_26_9.signal}); NaN where the indicator
   * has no value yet. The array is never modified after publication.
   */
  record IndicatorUpdate(long token, Timeframe tf, long start, boolean isFinal, List<String> names, double[] values)
      implements MarketEvent {}

  /** A gap opened, filled or lost. */
  record GapUpdate(long token, Gap gap) implements MarketEvent {}

  /**
   * The instrument's book after a batch of depth messages (one per batch, not per message): its top levels and
   * features, {@code ts} the book clock (greatest exchange timestamp applied), {@code stale} after an integrity event
   * until the next snapshot.
   */
  record Depth(long token, long ts, String kind, boolean stale, io.tickloom.protocol.book.BookSnapshot book) implements MarketEvent {}
}
