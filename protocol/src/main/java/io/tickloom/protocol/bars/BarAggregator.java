package io.tickloom.protocol.bars;

import io.tickloom.protocol.Bar;
import io.tickloom.protocol.EmptyBarPolicy;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.TradingHours;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * Event-time bar builder of one instrument for several timeframes at once (SPEC §4). Plain Java, single
 * threaded: the instrument's owner (an actor, an offline reader) feeds it deduplicated ticks in arrival
 * order and heartbeats, and receives every final bar through {@link BarSink}.
 *
 * <p><b>Invariants.</b>
 * <ul>
 *   <li>Bars are the session-anchored intervals of {@link SessionCalendar}. Ticks outside a session form no
 *       bar and are counted in {@link #outOfSessionTicks()}; they still move the clock.
 *   <li>The instrument's <i>horizon</i> is {@code max(max exchangeTs seen, clock - grace)}, where the clock
 *       is the max of tick times and {@link #advanceClock heartbeats}. An interval {@code [start, end)} is
 *       <i>closed</i> once {@code end <= horizon}: a tick at or after its end arrived, or the clock reached
 *       {@code end + grace}. A bar becomes final (emitted) when its interval closes, or on {@link #flush()}.
 *       Each timeframe has at most one forming bar, and every closed interval lies before it.
 *   <li>open/close are the prices of the ticks with the smallest/largest {@code (exchangeTs, seq)} of the
 *       bar (ties of both: the earlier arrival opens, the later closes), never arrival order, so bars
 *       rebuilt from stored ticks sorted by {@code (exchangeTs, seq)} equal the live ones.
 *       {@code vwap = Σ(price·qty) / Σqty} rounded half-up (away from zero) to the price scale, with the
 *       numerator kept exactly in 128 bits; {@code vwap = close} when {@code Σqty = 0} (index ticks).
 *   <li>{@link EmptyBarPolicy#CARRY}: every closed empty interval after a traded bar of the same session gets
 *       a flat bar (o=h=l=c=vwap=previous close, volume 0, trades 0). Never before the first trade of a
 *       session, never while the session is closed, never after the last trade on {@link #flush()}.
 *       An {@code allDay} venue never closes, so its carry chain continues across the daily anchor.
 *       {@link EmptyBarPolicy#SKIP}: an empty interval has no bar.
 *   <li>Late tick: a tick whose interval (for a timeframe) is already closed. It updates that timeframe's
 *       final bar and re-emits it with {@code revision + 1}; into an interval that had no bar it emits a new
 *       final bar with revision 0. Under CARRY the flat bars after it whose carried close changes are
 *       revised too (and missing flat bars, e.g. when the late tick precedes the session's first trade, are
 *       emitted with revision 0). Each timeframe decides independently: a tick late for 1m may simply join
 *       the forming 1h bar. {@link #lateTicks()} counts ticks late for at least one timeframe.
 *   <li>Each timeframe keeps its last {@code revisionHistory} final bars (flat ones included). A late tick
 *       whose interval starts before the oldest kept bar's history (i.e. before the end of the newest
 *       evicted bar) cannot be applied correctly; it changes nothing for that timeframe and is counted in
 *       {@link #tooLateTicks()} (also in {@link #lateTicks()}). No bar is ever silently wrong.
 * </ul>
 *
 * <p><b>Cost.</b> {@link #onTick} does not allocate and makes no {@code java.time} call while ticks stay in the
 * cached session: it allocates only the {@link Bar} records it emits (plus, once per timeframe, the history
 * slots while the history grows to its capacity; and a {@link BigInteger} for a vwap whose Σ(price·qty) does
 * not fit 64 bits, at emission). Session boundaries are recomputed only when a tick leaves them.
 */
public final class BarAggregator {

  /** Receives every final bar, every carry (flat) bar and every revision ({@code revision >= 1}). */
  public interface BarSink {
    void onFinal(Bar bar);
  }

  private static final int PLACED = 0;
  private static final int LATE = 1;
  private static final int TOO_LATE = 2;

  private final long token;
  private final EmptyBarPolicy policy;
  private final long graceNanos;
  private final BarSink sink;
  private final SessionCalendar calendar;
  private final Lane[] lanes;
  private final Lane[] byTimeframe = new Lane[Timeframe.values().length];

  private long maxTickTs = Long.MIN_VALUE;
  private long clock = Long.MIN_VALUE;
  private long horizon = Long.MIN_VALUE;

  // The session (or closed segment) of the last tick, cached in nanos.
  private long segStart = 1;
  private long segEnd = 0;
  private boolean segOpen;

  private long lateTicks;
  private long tooLateTicks;
  private long outOfSessionTicks;

  /**
   * @param token instrument token stamped on every bar
   * @param hours session and anchoring of the venue
   * @param policy what an empty interval produces
   * @param timeframes timeframes to build, each at most once
   * @param graceNanos how long past a bar's end a heartbeat-driven clock waits before finalizing it (>= 0)
   * @param revisionHistory final bars kept per timeframe to apply late ticks (>= 0)
   * @param sink receives final bars, synchronously, on the caller's thread
   */
  public BarAggregator(long token, TradingHours hours, EmptyBarPolicy policy, Timeframe[] timeframes,
      long graceNanos, int revisionHistory, BarSink sink) {
    if (graceNanos < 0) throw new IllegalArgumentException("graceNanos must be >= 0: " + graceNanos);
    if (revisionHistory < 0) throw new IllegalArgumentException("revisionHistory must be >= 0: " + revisionHistory);
    if (timeframes.length == 0) throw new IllegalArgumentException("at least one timeframe");
    this.token = token;
    this.policy = Objects.requireNonNull(policy, "policy");
    this.graceNanos = graceNanos;
    this.sink = Objects.requireNonNull(sink, "sink");
    this.calendar = new SessionCalendar(hours);
    this.lanes = new Lane[timeframes.length];
    for (int i = 0; i < timeframes.length; i++) {
      Timeframe tf = Objects.requireNonNull(timeframes[i], "timeframe");
      if (byTimeframe[tf.ordinal()] != null) throw new IllegalArgumentException("timeframe " + tf.label() + " given twice");
      lanes[i] = new Lane(tf, revisionHistory);
      byTimeframe[tf.ordinal()] = lanes[i];
    }
  }

  /** One accepted (deduplicated) tick, in arrival order. Allocation-free except for emitted bars. */
  public void onTick(long exchangeTs, long price, long qty, long seq) {
    if (exchangeTs > maxTickTs) maxTickTs = exchangeTs;
    if (exchangeTs > clock) clock = exchangeTs;
    moveHorizon();
    if (exchangeTs < segStart || exchangeTs >= segEnd) {
      segOpen = calendar.locate(exchangeTs);
      segStart = calendar.segmentStart();
      segEnd = calendar.segmentEnd();
    }
    if (!segOpen) {
      outOfSessionTicks++;
      return;
    }
    int flags = 0;
    for (Lane lane : lanes) flags |= lane.place(exchangeTs, price, qty, seq);
    if (flags != 0) lateTicks++;
    if ((flags & TOO_LATE) != 0) tooLateTicks++;
  }

  /** Heartbeat: the instrument's event clock moved to {@code eventTimeNanos} without a tick. */
  public void advanceClock(long eventTimeNanos) {
    if (eventTimeNanos > clock) {
      clock = eventTimeNanos;
      moveHorizon();
    }
  }

  /**
   * End of input (offline files): finalizes every forming bar. Emits no carry bar after the last trade.
   * Intervals finalized here count as closed for later ticks (which then are late ticks).
   */
  public void flush() {
    for (Lane lane : lanes) lane.flush();
  }

  /** A copy of the forming bar of {@code tf} ({@code isFinal = false}), or null when none forms. Allocates. */
  public Bar forming(Timeframe tf) {
    Lane lane = lane(tf);
    return lane.hasForming ? lane.forming.toBar(token, tf, false) : null;
  }

  /** The instrument's event clock: the max of tick times and heartbeats, {@code Long.MIN_VALUE} before any. */
  public long clock() {
    return clock;
  }

  /** Ticks late for at least one timeframe (including the too-late ones). */
  public long lateTicks() {
    return lateTicks;
  }

  /** Late ticks older than the kept history of at least one timeframe; they changed no bar there. */
  public long tooLateTicks() {
    return tooLateTicks;
  }

  /** Ticks outside every session of a non-allDay venue; they formed no bar. */
  public long outOfSessionTicks() {
    return outOfSessionTicks;
  }

  // ---- warm start: a fresh aggregator rebuilt from stored data (see InstrumentCore in the cluster module) ----

  /**
   * Where replaying stored ticks (sorted by exchange time) into a fresh aggregator rebuilds every forming bar: the
   * start of the oldest forming bar, or, for a timeframe with none forming, the end of its newest final bar.
   * {@link Long#MAX_VALUE} when no timeframe has a bar yet.
   */
  public long replayFrom() {
    long from = Long.MAX_VALUE;
    for (Lane lane : lanes) {
      long f = lane.hasForming ? lane.forming.start : lane.lastFinalEnd == Long.MIN_VALUE ? Long.MAX_VALUE : lane.lastFinalEnd;
      if (f < from) from = f;
    }
    return from;
  }

  /**
   * Warm start, before replaying: {@code lastFinal} is the newest stored final bar of its timeframe before the replay
   * start, so {@link EmptyBarPolicy#CARRY} continues its flat bars from it as the original aggregator would have.
   */
  public void resumeAfter(Bar lastFinal) {
    Lane lane = lane(lastFinal.tf());
    if (lastFinal.end() <= lane.lastFinalEnd) return;
    lane.lastFinalEnd = lastFinal.end();
    lane.lastClose = lastFinal.close();
    lane.carrying = true;
  }

  /**
   * Warm start, after replaying: bars of {@code tf} starting before {@code before} are out of reach from now on (late
   * ticks into them are counted as too late), as if they had left the revision history.
   */
  public void seal(Timeframe tf, long before) {
    History h = lane(tf).history;
    if (before > h.evictedEnd) h.evictedEnd = before;
  }

  /**
   * Warm start, after replaying: the kept final bar of {@code tf} starting at {@code start} takes the stored
   * revision number, so the next late tick into it stores {@code revision + 1}. Returns whether such a bar is kept.
   */
  public boolean restoreRevision(Timeframe tf, long start, int revision) {
    History h = lane(tf).history;
    int i = h.search(start);
    if (i < 0) return false;
    h.get(i).revision = revision;
    return true;
  }

  /**
   * Bars of {@code tf} that start before this time can no longer be revised (they left the history);
   * {@code Long.MIN_VALUE} while nothing was evicted. Lets a writer stream out settled bars.
   */
  long settledBefore(Timeframe tf) {
    return lane(tf).history.evictedEnd;
  }

  private Lane lane(Timeframe tf) {
    Lane lane = byTimeframe[tf.ordinal()];
    if (lane == null) throw new IllegalArgumentException("timeframe " + tf.label() + " is not built by this aggregator");
    return lane;
  }

  private void moveHorizon() {
    long byClock = clock < Long.MIN_VALUE + graceNanos ? Long.MIN_VALUE : clock - graceNanos;
    long h = Math.max(maxTickTs, byClock);
    if (h > horizon) {
      horizon = h;
      for (Lane lane : lanes) lane.advance();
    }
  }

  private void emit(Acc acc, Timeframe tf) {
    sink.onFinal(acc.toBar(token, tf, true));
  }

  /** State of one timeframe. */
  private final class Lane {
    final Timeframe tf;
    final Acc forming = new Acc();
    boolean hasForming;
    final History history;
    /** End of the newest final bar (all final bars end at or before it). */
    long lastFinalEnd = Long.MIN_VALUE;
    /** Close of the bar ending at {@link #lastFinalEnd}. */
    long lastClose;
    /** CARRY: flat bars may follow lastFinalEnd (a bar exists and its session has not closed since). */
    boolean carrying;
    /** Intervals ending at or before this were finalized by flush(). */
    long flushedEnd = Long.MIN_VALUE;

    Lane(Timeframe tf, int revisionHistory) {
      this.tf = tf;
      this.history = new History(revisionHistory);
    }

    boolean closed(long end) {
      return end <= horizon || end <= flushedEnd;
    }

    /** The horizon moved: finalize the forming bar if its interval closed, then carry. */
    void advance() {
      if (hasForming && closed(forming.end)) finalizeForming();
      carry();
    }

    void flush() {
      if (hasForming) {
        long end = forming.end;
        finalizeForming();
        if (end > flushedEnd) flushedEnd = end;
      }
    }

    int place(long ts, long price, long qty, long seq) {
      long start = SessionCalendar.barStartIn(segStart, ts, tf);
      if (hasForming && start == forming.start) {
        forming.add(ts, price, qty, seq);
        return PLACED;
      }
      long end = SessionCalendar.barEndIn(segStart, segEnd, start, tf);
      if (closed(end)) return late(start, end, ts, price, qty, seq);
      // Not closed and not the forming interval: the forming bar, if any, was finalized by advance().
      forming.startTrade(start, end, ts, price, qty, seq);
      hasForming = true;
      return PLACED;
    }

    private void finalizeForming() {
      Acc slot = history.insertSlot(history.size());
      slot.copyFrom(forming);
      slot.revision = 0;
      emit(slot, tf);
      history.trim(0);
      hasForming = false;
      lastFinalEnd = forming.end;
      lastClose = forming.close;
      carrying = true;
    }

    /** CARRY: flat bars for the closed empty intervals after the newest final bar, in its session. */
    private void carry() {
      if (policy != EmptyBarPolicy.CARRY || !carrying) return;
      while (true) {
        long start = lastFinalEnd;
        if (hasForming && start >= forming.start) return;
        if (start >= horizon && start >= flushedEnd) return; // cheap exit: nothing after start can be closed
        if (!calendar.inSession(start)) { // the session closed: wait for the next session's first trade
          carrying = false;
          return;
        }
        long end = calendar.barEnd(start, tf);
        if (!closed(end)) return;
        Acc slot = history.insertSlot(history.size());
        slot.startFlat(start, end, lastClose);
        slot.revision = 0;
        emit(slot, tf);
        history.trim(0);
        lastFinalEnd = end;
      }
    }

    /** A tick into the closed interval {@code [start, end)}. */
    private int late(long start, long end, long ts, long price, long qty, long seq) {
      if (start < history.evictedEnd) return TOO_LATE;
      int i = history.search(start);
      Acc bar;
      if (i >= 0) {
        bar = history.get(i);
        if (bar.flat) {
          bar.startTrade(bar.start, bar.end, ts, price, qty, seq);
        } else {
          bar.add(ts, price, qty, seq);
        }
        bar.revision++;
      } else {
        i = -i - 1;
        bar = history.insertSlot(i);
        bar.startTrade(start, end, ts, price, qty, seq);
        bar.revision = 0;
      }
      emit(bar, tf);
      long close = bar.close;
      i = history.trim(i);
      if (policy == EmptyBarPolicy.CARRY) {
        walkCarry(i + 1, end, close);
      } else if (end >= lastFinalEnd) {
        lastFinalEnd = end;
        lastClose = close;
      }
      return LATE;
    }

    /**
     * CARRY after a late tick: from {@code start} (history index {@code p}) revise the flat bars whose carried
     * close changed and emit missing ones, up to the next traded bar, the forming bar, the first interval
     * not yet closed, or the session end.
     */
    private void walkCarry(int p, long start, long close) {
      long s = start;
      while (true) {
        if (hasForming && s >= forming.start) break;
        if (!calendar.inSession(s)) break;
        long e = calendar.barEnd(s, tf);
        while (p < history.size() && history.get(p).start < s) p++;
        if (p < history.size() && history.get(p).start == s) {
          Acc bar = history.get(p);
          // A traded bar does not depend on the carried close; a flat one already at this close means the
          // rest of its run is too (flat bars follow each other without holes). Either way, nothing more changes.
          if (!bar.flat || bar.close == close) return;
          bar.startFlat(bar.start, bar.end, close);
          bar.revision++;
          emit(bar, tf);
          p++;
        } else {
          if (!closed(e)) break;
          Acc bar = history.insertSlot(p);
          bar.startFlat(s, e, close);
          bar.revision = 0;
          emit(bar, tf);
          p = history.trim(p) + 1;
        }
        s = e;
      }
      if (s >= lastFinalEnd) {
        lastFinalEnd = s;
        lastClose = close;
        carrying = true;
      }
    }
  }

  /** Mutable accumulator of one interval. */
  static final class Acc {
    long start;
    long end;
    long open;
    long openTs;
    long openSeq;
    long high;
    long low;
    long close;
    long closeTs;
    long closeSeq;
    long volume;
    long trades;
    long pqHi; // Σ price·qty, signed 128 bits
    long pqLo;
    int revision;
    boolean flat;

    /** Content of a single trade; leaves {@link #revision} to the caller. */
    void startTrade(long s, long e, long ts, long price, long qty, long seq) {
      start = s;
      end = e;
      open = high = low = close = price;
      openTs = closeTs = ts;
      openSeq = closeSeq = seq;
      volume = qty;
      trades = 1;
      pqHi = Math.multiplyHigh(price, qty);
      pqLo = price * qty;
      flat = false;
    }

    /** Flat (carried) content; leaves {@link #revision} to the caller. */
    void startFlat(long s, long e, long price) {
      start = s;
      end = e;
      open = high = low = close = price;
      openTs = closeTs = Long.MIN_VALUE;
      openSeq = closeSeq = Long.MIN_VALUE;
      volume = 0;
      trades = 0;
      pqHi = 0;
      pqLo = 0;
      flat = true;
    }

    void add(long ts, long price, long qty, long seq) {
      if (ts < openTs || ts == openTs && seq < openSeq) {
        open = price;
        openTs = ts;
        openSeq = seq;
      }
      if (ts > closeTs || ts == closeTs && seq >= closeSeq) {
        close = price;
        closeTs = ts;
        closeSeq = seq;
      }
      if (price > high) high = price;
      if (price < low) low = price;
      volume += qty;
      trades++;
      long lo = price * qty;
      long sum = pqLo + lo;
      pqHi += Math.multiplyHigh(price, qty) + (Long.compareUnsigned(sum, pqLo) < 0 ? 1 : 0);
      pqLo = sum;
    }

    void copyFrom(Acc o) {
      start = o.start;
      end = o.end;
      open = o.open;
      openTs = o.openTs;
      openSeq = o.openSeq;
      high = o.high;
      low = o.low;
      close = o.close;
      closeTs = o.closeTs;
      closeSeq = o.closeSeq;
      volume = o.volume;
      trades = o.trades;
      pqHi = o.pqHi;
      pqLo = o.pqLo;
      revision = o.revision;
      flat = o.flat;
    }

    /** Σ(price·qty)/Σqty rounded half-up (away from zero); close when Σqty = 0. */
    long vwap() {
      if (volume == 0) return close;
      if (pqHi == (pqLo >> 63) && volume != Long.MIN_VALUE) {
        long n = pqLo;
        long q = n / volume;
        long r = Math.abs(n % volume);
        long d = Math.abs(volume);
        if (r >= d - r) q += (n < 0) != (volume < 0) ? -1 : 1;
        return q;
      }
      BigInteger n = BigInteger.valueOf(pqHi).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(pqLo)));
      return new BigDecimal(n).divide(BigDecimal.valueOf(volume), 0, RoundingMode.HALF_UP).longValueExact();
    }

    Bar toBar(long token, Timeframe tf, boolean isFinal) {
      return new Bar(token, tf, start, end, open, high, low, close, volume, trades, vwap(), isFinal, isFinal ? revision : 0);
    }
  }

  /**
   * The last {@code capacity} final bars of a timeframe, sorted by start, in a ring of reusable {@link Acc}
   * slots that grows on demand up to {@code capacity + 1} (one spare for the next insert).
   */
  static final class History {
    private final int capacity;
    private Acc[] slots;
    private int head;
    private int size;
    /** End of the newest evicted bar: intervals starting before it are out of reach. */
    long evictedEnd = Long.MIN_VALUE;

    History(int capacity) {
      this.capacity = capacity;
      this.slots = new Acc[Math.min(capacity + 1, 16)];
      for (int i = 0; i < slots.length; i++) slots[i] = new Acc();
    }

    int size() {
      return size;
    }

    Acc get(int i) {
      return slots[index(i)];
    }

    private int index(int i) {
      int j = head + i;
      return j >= slots.length ? j - slots.length : j;
    }

    /** Index of the bar starting at {@code start}, else {@code -(insertion point) - 1}. */
    int search(long start) {
      int lo = 0;
      int hi = size - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        long s = get(mid).start;
        if (s < start) lo = mid + 1;
        else if (s > start) hi = mid - 1;
        else return mid;
      }
      return -lo - 1;
    }

    /** Inserts a slot at {@code i} (shifting later bars) and returns it for the caller to fill. */
    Acc insertSlot(int i) {
      if (size == slots.length) grow();
      Acc spare = slots[index(size)];
      for (int j = size; j > i; j--) slots[index(j)] = slots[index(j - 1)];
      slots[index(i)] = spare;
      size++;
      return spare;
    }

    /** Evicts the oldest bar when over capacity; returns the new index of the bar at {@code i} (-1: evicted). */
    int trim(int i) {
      if (size <= capacity) return i;
      Acc oldest = get(0);
      if (oldest.end > evictedEnd) evictedEnd = oldest.end;
      head = index(1);
      size--;
      return i - 1;
    }

    private void grow() {
      Acc[] bigger = new Acc[Math.min(capacity + 1, slots.length * 2)];
      for (int i = 0; i < size; i++) bigger[i] = get(i);
      for (int i = size; i < bigger.length; i++) bigger[i] = new Acc();
      slots = bigger;
      head = 0;
    }
  }
}
