package io.tickloom.cluster;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.CborSerializable;
import io.tickloom.protocol.Gap;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timeframe;
import java.util.List;

/**
 * What an instrument entity publishes to its instrument's topic, and what {@link LiveMarket#subscribe} delivers.
 * One {@link Ticks} per processed ingest batch (not per tick), so fan-out costs one message per batch.
 *
 * <p>On the topic every event travels inside a {@link Sequenced}, which numbers it in its entity incarnation's stream,
 * so the node's {@link MarketHub} can tell a hole (an event lost with a node, or not published) from a quiet moment;
 * subscribers receive the events themselves, and around a hole a {@link Resync} and a {@link ResyncDone}.
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

  /**
   * An event as an entity publishes it: {@code incarnation} is random per entity start, {@code seq} counts the
   * incarnation's events that must reach every subscriber (ticks, final bars, confirmed indicator values, gaps), whether
   * or not they were published (an entity publishes only while someone listens), so a subscriber that sees seq jump, or
   * a new incarnation, knows it may have missed some. {@code conflatable} events (forming bars and values, books) are
   * superseded by the next one: they carry the seq of the last event before them and are not counted.
   */
  record Sequenced(long token, long incarnation, long seq, boolean conflatable,
      @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "@type")
      @JsonSubTypes({
          @JsonSubTypes.Type(value = Ticks.class, name = "ticks"),
          @JsonSubTypes.Type(value = BarUpdate.class, name = "bar"),
          @JsonSubTypes.Type(value = IndicatorUpdate.class, name = "indicator"),
          @JsonSubTypes.Type(value = GapUpdate.class, name = "gap"),
          @JsonSubTypes.Type(value = Depth.class, name = "depth")})
      MarketEvent event) implements MarketEvent {}

  /**
   * To subscribers, from their node's {@link MarketHub}: the instrument's stream had a hole (its entity restarted or
   * moved, or events did not arrive); ticks stored since {@code fromExchangeTs} that were not delivered follow as
   * {@link Ticks}, then a {@link ResyncDone}. Bar, indicator and book subscribers should re-read their current state.
   */
  record Resync(long token, long fromExchangeTs, String reason) implements MarketEvent {}

  /**
   * The catch-up after a {@link Resync} is over: {@code recovered} ticks were re-sent from the store; {@code complete}
   * false when the store could not be read or more were missing than one catch-up reads (re-read the range over REST).
   */
  record ResyncDone(long token, int recovered, boolean complete) implements MarketEvent {}
}
