package io.tickloom.cluster;

import io.tickloom.persistence.BarQueries;
import io.tickloom.persistence.IndicatorStore;
import io.tickloom.persistence.TickQueries;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.EmptyBarPolicy;
import io.tickloom.protocol.Gap;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.TradingHours;
import io.tickloom.protocol.bars.BarAggregator;
import io.tickloom.protocol.bars.SessionCalendar;
import io.tickloom.protocol.indicators.IndicatorLane;
import io.tickloom.protocol.sequencing.Deduper;
import io.tickloom.protocol.sequencing.Sequencer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The market state of one instrument as plain Java (no actor): the kernels an {@link InstrumentEntity} runs, and how
 * that state is snapshotted and restored (SPEC §4 warm start). Built and restored off the actor (on the blocking
 * pool), then handed to the entity, which alone touches it afterwards.
 *
 * <p><b>Warm start.</b> A snapshot holds, per timeframe, the indicator state of the bars before the lane's window
 * ({@link IndicatorLane#writeState}) and {@code replayFrom}, the bar aggregator's {@link BarAggregator#replayFrom}.
 * Restoring reads the snapshot, the stored final bars after each lane's boundary (the window: at most the revision
 * history plus what finalized since the snapshot), and the stored ticks since {@code replayFrom} (the forming bars:
 * for a 1d timeframe, the day so far), never the whole history. The ticks are replayed in stored order through the
 * deduper and the bar aggregator; each replayed final bar is checked against the stored one: equal content takes
 * the stored revision number, a bar missing or different in the store (its write was lost with the old node) is
 * written again ({@link #restoredBars}). The indicator lanes take the stored and replayed final bars after their
 * boundary, so their values continue bit for bit as if the entity had never stopped. What a restore cannot bring
 * back: open sequence gaps (the sequencer resumes after the highest stored seq), and revisions of bars older than
 * {@code replayFrom} (late ticks into them are counted as too late).
 */
final class InstrumentCore {
  private static final int SNAPSHOT_VERSION = 1;
  /** Bars read per timeframe on restore, at most (a snapshot older than this many bars restores what it can). */
  private static final int RESTORE_BAR_LIMIT = 1_000_000;

  final long token;
  final Deduper deduper;
  final Sequencer sequencer;
  final BarAggregator bars;
  final Timeframe[] timeframes;
  /** By timeframe position; null when no indicators run. */
  final IndicatorLane[] lanes;
  final List<String> outputNames;
  /** Filled by the kernels, drained by the entity. */
  final List<Bar> finals = new ArrayList<>();
  final List<Gap> gaps = new ArrayList<>();
  final List<MarketEvent.IndicatorUpdate> confirmed = new ArrayList<>();
  /** Positions in {@link #confirmed} whose values may replace stored ones (see {@link IndicatorLane.Sink}). */
  final java.util.BitSet recomputed = new java.util.BitSet();
  private final SessionCalendar calendar;
  private final int priceScale;
  private final int qtyScale;
  long lastExchangeTs = Long.MIN_VALUE;
  /** Price and order key of the accepted tick with the greatest (exchangeTs, orderKey): the last trade. */
  long lastTradePrice;
  private long lastTradeKey = Long.MIN_VALUE;
  /** After a restore: bars written again because the store lacked them (for the writer); else empty. */
  List<Bar> restoredBars = List.of();
  /** After a restore: what it did, for the log; null for a fresh start. */
  String restoreSummary;
  /** Set when a restore failed: a snapshot of this (empty-started) state must not replace the stored one. */
  boolean snapshotsDisabled;

  private final long maxSeqJump;

  InstrumentCore(long token, Instrument instrument, ClusterSettings s) {
    this.token = token;
    this.maxSeqJump = s.maxSeqJump();
    TradingHours hours;
    EmptyBarPolicy policy;
    if (instrument == null) {
      hours = TradingHours.UTC_24H;
      policy = EmptyBarPolicy.SKIP;
      priceScale = 0;
      qtyScale = 0;
    } else {
      hours = instrument.exchange().hours();
      policy = instrument.exchange().emptyBars();
      priceScale = instrument.priceScale();
      qtyScale = instrument.qtyScale();
    }
    if (s.aroundTheClock() && !hours.allDay()) hours = hours.aroundTheClock();
    this.calendar = new SessionCalendar(hours);
    this.deduper = new Deduper(s.dedupeWindow());
    this.sequencer = new Sequencer(token, s.gapTimeout().toNanos(), s.maxOpenGaps(), gaps::add);
    this.timeframes = s.timeframeArray();
    this.bars = new BarAggregator(token, hours, policy, timeframes, s.barGrace().toNanos(), s.revisionHistory(), finals::add);
    List<String> names = s.indicators().names();
    if (names.isEmpty()) {
      this.lanes = null;
      this.outputNames = List.of();
    } else {
      this.lanes = new IndicatorLane[timeframes.length];
      int capacity = Math.max(1, s.revisionHistory());
      for (int i = 0; i < timeframes.length; i++) {
        lanes[i] = new IndicatorLane(timeframes[i], names, capacity, priceScale, qtyScale, calendar::sessionStart, this::onValues);
      }
      this.outputNames = lanes[0].outputNames();
    }
  }

  private void onValues(Timeframe tf, long start, double[] values, boolean replaces) {
    if (replaces) recomputed.set(confirmed.size());
    confirmed.add(new MarketEvent.IndicatorUpdate(token, tf, start, true, outputNames, values));
  }

  /**
   * The per-tick step of the live pipeline, the same for {@link InstrumentEntity} and replays ({@link DetachedCore}):
   * dedupe, sequencing (unsequenced feeds such as Kite snapshots are deduplicated by trade id only and cannot show a
   * gap), the bar aggregator, the last trade. The caller has checked the token.
   *
   * @return the sequencer's status for this tick, or null for a duplicate (nothing changed)
   */
  /** Jump guards of the dedupe key and of the seq (live ticks only: replays read what they already passed). */
  private io.tickloom.protocol.sequencing.JumpGuard keyGuard;
  private io.tickloom.protocol.sequencing.JumpGuard seqGuard;

  /**
   * Null when tick {@code i} of {@code batch} may go on, else why not: its dedupe key or seq jumps more than
   * {@code tickloom.cluster.max-seq-jump} past what this instrument has seen, without the new range confirming itself
   * (see {@link io.tickloom.protocol.sequencing.JumpGuard}).
   */
  String implausible(java.util.List<Tick> batch, int i) {
    long maxJump = maxSeqJump;
    if (maxJump <= 0) return null;
    if (keyGuard == null) {
      keyGuard = new io.tickloom.protocol.sequencing.JumpGuard(maxJump, 3);
      seqGuard = new io.tickloom.protocol.sequencing.JumpGuard(maxJump, 3);
    }
    Tick t = batch.get(i);
    int n = batch.size();
    if (!keyGuard.admit(t.dedupeKey(), deduper.highest(), j -> batch.get(j).dedupeKey(), i + 1, n)) {
      return "key " + t.dedupeKey() + " is more than " + maxJump + " past the highest " + deduper.highest();
    }
    if (t.seq() != Tick.NO_SEQ && sequencer.nextExpected() > 0
        && !seqGuard.admit(t.seq(), sequencer.nextExpected() - 1, j -> batch.get(j).seq() == Tick.NO_SEQ ? -1 : batch.get(j).seq(), i + 1, n)) {
      return "seq " + t.seq() + " is more than " + maxJump + " past the expected " + sequencer.nextExpected();
    }
    return null;
  }

  TickStatus onTick(Tick t) {
    if (!deduper.firstSight(t.dedupeKey())) return null;
    if (t.seq() != Tick.NO_SEQ) sequencer.accept(t.seq(), t.receiveTs());
    TickStatus status = sequencer.status();
    bars.onTick(t.exchangeTs(), t.price(), t.qty(), t.orderKey());
    onTrade(t);
    return status;
  }

  /** An accepted tick: moves the event time and the last trade. */
  void onTrade(Tick t) {
    long ts = t.exchangeTs();
    if (ts > lastExchangeTs || ts == lastExchangeTs && t.orderKey() >= lastTradeKey) {
      lastExchangeTs = ts;
      lastTradeKey = t.orderKey();
      lastTradePrice = t.price();
    }
  }

  boolean lastTradeKnown() {
    return lastExchangeTs != Long.MIN_VALUE;
  }

  /** Feeds the final bars gathered since the last call to the indicator lanes and settles revisions. */
  void settleIndicators() {
    if (lanes == null) return;
    for (Bar b : finals) lane(b.tf()).onFinal(b);
    for (IndicatorLane lane : lanes) lane.settle();
  }

  /** The forming bar's indicator values for {@code tf}, or null when no bar forms or no indicators run. */
  MarketEvent.IndicatorUpdate forming(Timeframe tf) {
    if (lanes == null) return null;
    Bar f = bars.forming(tf);
    if (f == null) return null;
    IndicatorLane lane = lane(tf);
    double[] v = new double[lane.outputCount()];
    lane.peek(f, v);
    return new MarketEvent.IndicatorUpdate(token, tf, f.start(), false, outputNames, v);
  }

  private IndicatorLane lane(Timeframe tf) {
    for (int i = 0; i < timeframes.length; i++) if (timeframes[i] == tf) return lanes[i];
    throw new IllegalArgumentException("timeframe " + tf.label() + " is not built here");
  }

  /** The warm-start snapshot of the current state (call after {@link #settleIndicators}). */
  byte[] snapshot() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(SNAPSHOT_VERSION);
      out.writeLong(token);
      out.writeLong(bars.replayFrom());
      out.writeInt(lanes == null ? 0 : lanes.length);
      if (lanes != null) for (IndicatorLane lane : lanes) lane.writeState(out);
    } catch (IOException e) {
      throw new IllegalStateException(e); // in memory: cannot happen
    }
    return bytes.toByteArray();
  }

  /** Whether this state has produced anything worth a snapshot. */
  boolean hasBars() {
    return bars.replayFrom() != Long.MAX_VALUE;
  }

  /**
   * A core restored from the instrument's snapshot and the stored data since (see the class doc); a fresh one when
   * there is no snapshot or it does not fit this configuration (then {@link #restoreSummary} says why). Blocking.
   */
  static InstrumentCore restore(long token, Instrument instrument, ClusterSettings settings, IndicatorStore snapshots,
      BarQueries storedBars, TickQueries storedTicks) {
    long t0 = System.nanoTime();
    Optional<byte[]> snap = snapshots.loadSnapshot(token);
    if (snap.isEmpty()) return new InstrumentCore(token, instrument, settings);
    InstrumentCore core = new InstrumentCore(token, instrument, settings);
    long replayFrom;
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snap.get()))) {
      int version = in.readInt();
      if (version != SNAPSHOT_VERSION) throw new IOException("snapshot version " + version + ", this node reads " + SNAPSHOT_VERSION);
      long t = in.readLong();
      if (t != token) throw new IOException("snapshot of " + t);
      replayFrom = in.readLong();
      int n = in.readInt();
      if (core.lanes != null) {
        if (n != core.lanes.length) throw new IOException("snapshot of " + n + " timeframes, this node builds " + core.lanes.length);
        for (IndicatorLane lane : core.lanes) lane.readState(in);
      }
    } catch (IOException | RuntimeException e) {
      InstrumentCore fresh = new InstrumentCore(token, instrument, settings);
      fresh.restoreSummary = "snapshot not usable (" + e.getMessage() + "): started empty";
      return fresh;
    }
    if (replayFrom == Long.MAX_VALUE) return core;

    // Stored final bars: the lanes' windows and, from replayFrom on, the reference for the replayed bars.
    int barsRead = 0;
    List<Map<Long, Bar>> storedFrom = new ArrayList<>();
    for (int i = 0; i < core.timeframes.length; i++) {
      Timeframe tf = core.timeframes[i];
      long from = replayFrom;
      if (core.lanes != null) {
        long boundary = core.lanes[i].boundary();
        from = boundary == Long.MIN_VALUE ? Long.MIN_VALUE : Math.min(boundary + 1, replayFrom);
      }
      List<Bar> stored = storedBars.bars(token, tf, from, Long.MAX_VALUE, RESTORE_BAR_LIMIT);
      barsRead += stored.size();
      Map<Long, Bar> after = new HashMap<>();
      Bar before = null;
      for (Bar b : stored) {
        if (b.start() < replayFrom) {
          before = b;
          if (core.lanes != null) core.lanes[i].onFinal(b);
        } else {
          after.put(b.start(), b);
        }
      }
      if (before == null) {
        List<Bar> last = storedBars.bars(token, tf, Long.MIN_VALUE, replayFrom, 1);
        if (!last.isEmpty()) before = last.get(0);
      }
      if (before != null) core.bars.resumeAfter(before);
      storedFrom.add(after);
    }

    // Stored ticks since replayFrom, in stored order: the forming bars, the deduper's memory, the next seq.
    long[] seen = {0, -1};
    storedTicks.scan(token, replayFrom, Long.MAX_VALUE, t -> {
      seen[0]++;
      core.deduper.firstSight(t.dedupeKey());
      if (t.seq() != Tick.NO_SEQ && t.seq() > seen[1]) seen[1] = t.seq();
      core.bars.onTick(t.exchangeTs(), t.price(), t.qty(), t.orderKey());
      core.onTrade(t);
    });
    if (seen[1] >= 0) core.sequencer.accept(seen[1], System.currentTimeMillis() * 1_000_000L);
    core.gaps.clear();

    // Replayed final bars against the stored ones: stored numbering for equal content, a new revision otherwise.
    List<Map<Long, Bar>> replayed = new ArrayList<>();
    for (int i = 0; i < core.timeframes.length; i++) replayed.add(new TreeMap<>());
    for (Bar b : core.finals) replayed.get(indexOf(core.timeframes, b.tf())).put(b.start(), b);
    core.finals.clear();
    List<Bar> repaired = new ArrayList<>();
    // Per timeframe, the first bar stored again: its values and those of every later bar are stored again too.
    Map<Timeframe, Long> repairedFrom = new HashMap<>();
    for (int i = 0; i < core.timeframes.length; i++) {
      Timeframe tf = core.timeframes[i];
      for (Bar b : replayed.get(i).values()) {
        Bar stored = storedFrom.get(i).get(b.start());
        Bar bar;
        if (stored != null && sameContent(stored, b)) {
          bar = stored;
        } else {
          bar = withRevision(b, stored == null ? 0 : stored.revision() + 1);
          repaired.add(bar);
          repairedFrom.merge(tf, b.start(), Math::min);
        }
        core.bars.restoreRevision(tf, bar.start(), bar.revision());
        if (core.lanes != null) core.lanes[i].onFinal(bar);
      }
      long sealBefore = replayFrom;
      if (core.lanes != null && core.lanes[i].boundary() != Long.MIN_VALUE) sealBefore = Math.max(sealBefore, core.lanes[i].boundary() + 1);
      core.bars.seal(tf, sealBefore);
    }
    if (core.lanes != null) for (IndicatorLane lane : core.lanes) lane.settle();
    // Values of bars stored before are stored too; from the first repaired bar of a timeframe on they go out again.
    core.confirmed.removeIf(u -> u.start() < repairedFrom.getOrDefault(u.tf(), Long.MAX_VALUE));
    core.recomputed.clear();
    core.recomputed.set(0, core.confirmed.size()); // the store may hold some of them: replace
    core.restoredBars = repaired;
    core.restoreSummary = String.format("restored from snapshot + %d stored bars + %d stored ticks since %s (%d bars re-stored) in %d ms",
        barsRead, seen[0], io.tickloom.protocol.Timestamps.format(replayFrom), repaired.size(), (System.nanoTime() - t0) / 1_000_000);
    return core;
  }

  private static int indexOf(Timeframe[] tfs, Timeframe tf) {
    for (int i = 0; i < tfs.length; i++) if (tfs[i] == tf) return i;
    throw new IllegalArgumentException(tf.label());
  }

  private static boolean sameContent(Bar a, Bar b) {
    return a.end() == b.end() && a.open() == b.open() && a.high() == b.high() && a.low() == b.low() && a.close() == b.close()
        && a.volume() == b.volume() && a.trades() == b.trades() && a.vwap() == b.vwap();
  }

  private static Bar withRevision(Bar b, int revision) {
    return new Bar(b.token(), b.tf(), b.start(), b.end(), b.open(), b.high(), b.low(), b.close(), b.volume(), b.trades(),
        b.vwap(), true, revision);
  }
}
