package io.tickloom.cluster;

import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import io.tickloom.protocol.Timeframe;
import java.util.List;
import java.util.function.Consumer;

/**
 * An {@link InstrumentCore} that belongs to no entity: fresh state, registered nowhere, writing nowhere, driven tick by
 * tick exactly as {@link InstrumentEntity} drives its own (deduper, sequencer, bar aggregator, last trade; final bars
 * through the indicator lanes). Replays (package {@code replay}) run one per instrument per session, so they share the
 * live pipeline's code but none of its state. Not thread-safe: one owner at a time.
 */
public final class DetachedCore {
  /** {@link #onTick} outcomes, as in {@link InstrumentEntity.IngestAck}. */
  public static final byte DROPPED = InstrumentEntity.IngestAck.DROPPED;
  public static final byte LIVE = InstrumentEntity.IngestAck.LIVE;
  public static final byte STALE = InstrumentEntity.IngestAck.STALE;

  private final InstrumentCore core;
  private final long graceNanos;

  /** @param instrument the instrument's master data (scales, venue hours); null: UTC day hours, scale 0 */
  public DetachedCore(long token, Instrument instrument, ClusterSettings settings) {
    this.core = new InstrumentCore(token, instrument, settings);
    this.graceNanos = settings.barGrace().toNanos();
  }

  public long token() {
    return core.token;
  }

  /**
   * One tick, through {@code InstrumentCore.onTick}, the step {@code InstrumentEntity} runs per tick: dedupe, sequencing (unsequenced
   * ticks skip it), the bar aggregator, the last trade. Allocates nothing but the bars it finalizes.
   *
   * @return {@link #DROPPED} (another instrument's, or a duplicate), {@link #LIVE} or {@link #STALE}
   */
  public byte onTick(Tick t) {
    if (t.token() != core.token) return DROPPED;
    TickStatus status = core.onTick(t);
    return status == null ? DROPPED : status == TickStatus.LIVE ? LIVE : STALE;
  }

  /**
   * End of input at {@code end} (exclusive): every bar ending at or before {@code end} is final, as when the live
   * clock passes {@code end + grace}; bars crossing {@code end} keep forming.
   */
  public void closeAt(long end) {
    long clock = end > Long.MAX_VALUE - graceNanos ? Long.MAX_VALUE : end + graceNanos;
    if (clock > core.bars.clock()) core.bars.advanceClock(clock);
  }

  /**
   * Hands over what the ticks since the last call produced, as {@code InstrumentEntity} hands it to its writer and
   * topic: final bars (and revisions), then the confirmed indicator values they settle. Gaps are counted and dropped.
   *
   * @return gaps opened, filled or lost since the last call
   */
  public int drain(Consumer<Bar> bars, Consumer<MarketEvent.IndicatorUpdate> values) {
    int gaps = core.gaps.size();
    if (core.finals.isEmpty()) {
      core.gaps.clear();
      return gaps;
    }
    core.settleIndicators();
    for (int i = 0, n = core.finals.size(); i < n; i++) bars.accept(core.finals.get(i));
    for (int i = 0, n = core.confirmed.size(); i < n; i++) values.accept(core.confirmed.get(i));
    core.finals.clear();
    core.gaps.clear();
    core.confirmed.clear();
    core.recomputed.clear();
    return gaps;
  }

  /** The forming bar of {@code tf} or null. Allocates. */
  public Bar forming(Timeframe tf) {
    return core.bars.forming(tf);
  }

  /** Indicator output names, in the order of {@link MarketEvent.IndicatorUpdate#values()}; empty when none run. */
  public List<String> outputNames() {
    return core.outputNames;
  }

  /** Ticks late for some timeframe (none in a replay in exchange-time order; counted for the status). */
  public long lateTicks() {
    return core.bars.lateTicks();
  }
}
