package io.tickloom.cluster.replay;

import io.tickloom.cluster.ClusterSettings;
import io.tickloom.cluster.DetachedCore;
import io.tickloom.cluster.MarketEvent;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import io.tickloom.protocol.Timeframe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The instrument state of one replay run: a {@link DetachedCore} per instrument (the live entity's kernels, state of
 * its own), fed the merged ticks in global exchange-time order. Plain Java, single-threaded (one stream stage owns
 * it); nothing it does reaches live state or storage. Allocates the output lists per batch and the bars it finalizes.
 */
public final class ReplayEngine {
  private final long[] tokens;
  private final DetachedCore[] cores;
  private final boolean[] wanted = new boolean[Timeframe.values().length];
  private long ticks;
  private long bars;
  private long gaps;

  /**
   * @param tokens the instruments, any order; {@code instruments} their master data (null for an unknown one)
   * @param timeframes the timeframes built and streamed: the live settings restricted to them (each timeframe's bars and
   *     indicator values depend on that timeframe's lanes only, so building fewer changes none of them)
   */
  public ReplayEngine(List<Long> tokens, LongFunction<Instrument> instruments, ClusterSettings settings, List<Timeframe> timeframes) {
    this.tokens = tokens.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
    this.cores = new DetachedCore[this.tokens.length];
    ClusterSettings only = restricted(settings, timeframes);
    for (int i = 0; i < this.tokens.length; i++) cores[i] = new DetachedCore(this.tokens[i], instruments.apply(this.tokens[i]), only);
    for (Timeframe tf : timeframes) wanted[tf.ordinal()] = true;
  }

  /** {@code s} building only {@code timeframes}, in the configured order. */
  static ClusterSettings restricted(ClusterSettings s, List<Timeframe> timeframes) {
    List<Timeframe> tfs = s.timeframes().stream().filter(timeframes::contains).toList();
    if (tfs.isEmpty()) throw new IllegalArgumentException("none of " + timeframes + " is built on this node");
    return new ClusterSettings(tfs, s.barGrace(), s.revisionHistory(), s.gapTimeout(), s.maxOpenGaps(), s.dedupeWindow(), s.heartbeatInterval(),
        s.askTimeout(), s.writerFlushTimeout(), s.aroundTheClock(), s.instrumentRefresh(), s.ingest(), s.simulator(), s.indicators(), s.books(),
        s.hub(), s.maxSeqJump());
  }

  /** Processes {@code merged} (exchange-time order) and returns what it produced for the requested timeframes. */
  public ReplayOutput.Batch process(int run, List<Tick> merged) {
    List<Tick> out = new ArrayList<>(merged.size());
    List<Bar> finals = new ArrayList<>();
    List<MarketEvent.IndicatorUpdate> values = new ArrayList<>();
    for (int i = 0, n = merged.size(); i < n; i++) {
      Tick t = merged.get(i);
      int c = Arrays.binarySearch(tokens, t.token());
      if (c < 0) continue;
      byte outcome = cores[c].onTick(t);
      if (outcome == DetachedCore.DROPPED) continue;
      // Out as feed `replay` (SPEC §3), with the status this replay's sequencer gave it: one allocation per tick.
      out.add(new Tick(t.token(), t.exchangeTs(), t.receiveTs(), t.price(), t.qty(), t.tradeId(), t.seq(), Feed.REPLAY, t.side(), t.bid(),
          t.ask(), outcome == DetachedCore.LIVE ? TickStatus.LIVE : TickStatus.STALE));
    }
    // Per instrument, as the entity drains after each batch: bars, then the values they settle.
    for (DetachedCore core : cores) drain(core, finals, values);
    ticks += out.size();
    bars += finals.size();
    return new ReplayOutput.Batch(run, out, finals, values);
  }

  /** End of the run's period at {@code end} (exclusive): the bars ending by then become final. */
  public ReplayOutput.Batch finish(int run, long end) {
    List<Bar> finals = new ArrayList<>();
    List<MarketEvent.IndicatorUpdate> values = new ArrayList<>();
    for (DetachedCore core : cores) {
      core.closeAt(end);
      drain(core, finals, values);
    }
    bars += finals.size();
    return new ReplayOutput.Batch(run, List.of(), finals, values);
  }

  private void drain(DetachedCore core, List<Bar> finals, List<MarketEvent.IndicatorUpdate> values) {
    gaps += core.drain(b -> {
      if (wanted[b.tf().ordinal()]) finals.add(b);
    }, v -> {
      if (wanted[v.tf().ordinal()]) values.add(v);
    });
  }

  public long ticks() {
    return ticks;
  }

  public long bars() {
    return bars;
  }

  /** Gap records (opened, filled, lost) the replay's sequencers produced. */
  public long gaps() {
    return gaps;
  }
}
