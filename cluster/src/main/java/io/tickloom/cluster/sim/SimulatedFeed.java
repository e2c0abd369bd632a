package io.tickloom.cluster.sim;

import io.tickloom.protocol.Feed;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A deterministic simulated market feed: trades for every instrument of a universe, delivered by a PRIMARY and a
 * SECONDARY feed with the faults {@link SimSettings} asks for (drops that the secondary fills or that are lost,
 * adjacent swaps, late deliveries, secondary duplicates).
 *
 * <p>Schedule. Each instrument trades as a Poisson process with rate {@code ticksPerSecond × weight / Σweight};
 * the first {@link #poll} anchors the schedule at its {@code nowNanos}. A trade's {@code exchangeTs} is its
 * scheduled time (so the demo shows wall-clock data), its {@code receiveTs} the {@code nowNanos} of the poll that
 * delivers it. Deliveries leave in time order (a delayed delivery due at the same time as a trade goes first).
 *
 * <p>Trades. Per-instrument {@code seq} from 1, feed-independent (a trade has the same seq on both feeds);
 * {@code tradeId} {@link Tick#NO_TRADE_ID}; status LIVE (sequencing downstream decides STALE). Index and equity
 * prices random-walk on the tick size within ±5% of their start; futures and options follow the index (carry and
 * Bachelier value, see {@code SimPricing}) with a tick or two of noise; prices are always positive multiples of the
 * tick. Quantities are whole lots (index ticks: quantity 0, no side, no quote); aggressor side random; the quote
 * has the trade at the touch on the aggressor's side and a spread of 1–2 ticks.
 *
 * <p>Determinism. For one universe, settings and seed, the sequence of ticks (all fields but {@code receiveTs})
 * does not depend on how often {@code poll} is called; with the same poll times the ticks are equal outright. The
 * one exception is {@link SimSettings#maxLagNanos()}: a poll that finds the schedule further behind than that
 * skips the backlog ({@link #skippedNanos()}).
 *
 * <p>Allocation: one {@link Tick} per delivered tick; a delayed delivery (SECONDARY copy, fill, swap, late)
 * also allocates its queue entry and its receive-stamped copy. Not thread-safe: one stream stage polls it.
 */
public final class SimulatedFeed {

  private static final long MS = 1_000_000L;
  private static final long COPY_DELAY_MIN = MS;
  private static final long COPY_DELAY_MAX = 200 * MS;
  private static final long FILL_DELAY_MIN = 100 * MS;
  private static final long FILL_DELAY_MAX = 1_000 * MS;
  private static final long LATE_DELAY_MIN = 1_500 * MS;
  private static final long LATE_DELAY_MAX = 3_000 * MS;
  private static final double WALK_BAND = 0.05;

  private static final int WALK = 0;
  private static final int FUTURE = 1;
  private static final int OPTION = 2;

  private final List<SimInstrument> universe;
  private final SimSettings settings;
  private final SplittableRandom rng;
  private final int n;

  private final long[] token;
  private final long[] tick;
  private final long[] lot;
  private final int[] model;
  private final boolean[] quoted; // index ticks carry no side, quantity or quote
  private final int[] maxLots;
  private final int[] underlying; // index into the arrays, -1 for none
  private final double[] years;
  private final long[] strike;
  private final boolean[] call;
  private final long[] walkStep; // max ticks per step
  private final long[] bandLow;
  private final long[] bandHigh;
  private final double[] meanGapNanos;

  private final long[] price;
  private final long[] seq;
  private final long[] nextTime;
  private final int[] heap; // min-heap of instrument indexes by (nextTime, index)

  private final PriorityQueue<Delayed> delayed = new PriorityQueue<>();
  private long delayedOrder;
  private boolean started;

  private long generated;
  private long emitted;
  private long dropped;
  private long lost;
  private long late;
  private long reordered;
  private long secondaryCopies;
  private long skippedNanos;

  private record Delayed(long due, long order, Tick tick) implements Comparable<Delayed> {
    @Override
    public int compareTo(Delayed o) {
      int c = Long.compare(due, o.due);
      return c != 0 ? c : Long.compare(order, o.order);
    }
  }

  /**
   * @param universe the instruments to trade (e.g. {@link SimUniverse#nse}); futures and options reference their
   *     index by token, which must be in the universe
   */
  public SimulatedFeed(List<SimInstrument> universe, SimSettings settings, long seed) {
    if (universe.isEmpty()) throw new IllegalArgumentException("empty universe");
    this.universe = List.copyOf(universe);
    this.settings = java.util.Objects.requireNonNull(settings, "settings");
    this.rng = new SplittableRandom(seed);
    this.n = universe.size();
    token = new long[n];
    tick = new long[n];
    lot = new long[n];
    model = new int[n];
    quoted = new boolean[n];
    maxLots = new int[n];
    underlying = new int[n];
    years = new double[n];
    strike = new long[n];
    call = new boolean[n];
    walkStep = new long[n];
    bandLow = new long[n];
    bandHigh = new long[n];
    meanGapNanos = new double[n];
    price = new long[n];
    seq = new long[n];
    nextTime = new long[n];
    heap = new int[n];

    Map<Long, Integer> byToken = new HashMap<>();
    long totalWeight = 0;
    for (int i = 0; i < n; i++) {
      SimInstrument s = universe.get(i);
      if (byToken.put(s.token(), i) != null) throw new IllegalArgumentException("duplicate token " + s.token());
      totalWeight += s.weight();
    }
    for (int i = 0; i < n; i++) {
      SimInstrument s = universe.get(i);
      var inst = s.instrument();
      token[i] = inst.token();
      tick[i] = inst.tickSize();
      lot[i] = inst.lotSize();
      price[i] = s.startPrice();
      quoted[i] = inst.kind() != InstrumentKind.IDX;
      maxLots[i] = switch (inst.kind()) {
        case FUT -> 20;
        case OPT -> 40;
        default -> 200;
      };
      underlying[i] = -1;
      if (s.underlyingToken() != SimInstrument.NO_UNDERLYING) {
        Integer u = byToken.get(s.underlyingToken());
        if (u == null) throw new IllegalArgumentException(inst.symbol() + ": underlying " + s.underlyingToken() + " is not in the universe");
        underlying[i] = u;
      }
      years[i] = SimPricing.years(s.daysToExpiry());
      if (inst.kind() == InstrumentKind.OPT) {
        model[i] = OPTION;
        strike[i] = inst.strike();
        call[i] = inst.optionType() == io.tickloom.protocol.OptionType.CE;
      } else if (inst.kind() == InstrumentKind.FUT && underlying[i] >= 0) {
        model[i] = FUTURE;
      } else {
        model[i] = WALK;
      }
      walkStep[i] = Math.max(1, Math.round(s.startPrice() * 0.0001 / tick[i]));
      bandLow[i] = Math.max(tick[i], SimPricing.toTick(s.startPrice() * (1 - WALK_BAND), tick[i]));
      bandHigh[i] = SimPricing.toTick(s.startPrice() * (1 + WALK_BAND), tick[i]);
      meanGapNanos[i] = 1e9 * totalWeight / (settings.ticksPerSecond() * s.weight());
    }
  }

  /**
   * Delivers to {@code sink} every tick due at or before {@code nowNanos} (epoch nanos, the caller's wall
   * clock), stamping it {@code receiveTs = nowNanos}; returns how many. The first call anchors the schedule.
   */
  public int poll(long nowNanos, TickSink sink) {
    if (!started) start(nowNanos);
    long behind = nowNanos - nextTime[heap[0]];
    if (settings.maxLagNanos() > 0 && behind > settings.maxLagNanos()) {
      for (int i = 0; i < n; i++) nextTime[i] += behind;
      skippedNanos += behind;
    }
    int count = 0;
    while (true) {
      long tradeAt = nextTime[heap[0]];
      Delayed d = delayed.peek();
      if (d != null && d.due <= tradeAt && d.due <= nowNanos) {
        delayed.poll();
        sink.accept(d.tick.withReceiveTs(nowNanos));
        count++;
      } else if (tradeAt <= nowNanos) {
        count += trade(nowNanos, sink);
      } else {
        break;
      }
    }
    emitted += count;
    return count;
  }

  /** The last generated trade price of the instrument at {@code index} in {@link #universe()} (its start price before any). */
  public long price(int index) {
    return price[index];
  }

  /** Whether the instrument at {@code index} trades with quantity, side and quote (not an index). */
  public boolean quoted(int index) {
    return quoted[index];
  }

  public List<SimInstrument> universe() {
    return universe;
  }

  public SimSettings settings() {
    return settings;
  }

  /** Trades generated (each has one seq), whether delivered yet or not. */
  public long generated() {
    return generated;
  }

  /** Ticks delivered on either feed. */
  public long emitted() {
    return emitted;
  }

  /** Trades the PRIMARY feed dropped (filled by SECONDARY later, or lost). */
  public long dropped() {
    return dropped;
  }

  /** Trades no feed will ever deliver. */
  public long lost() {
    return lost;
  }

  /** Trades delivered 1.5–3 s late on PRIMARY. */
  public long late() {
    return late;
  }

  /** Trades swapped with their instrument's next trade on PRIMARY. */
  public long reordered() {
    return reordered;
  }

  /** Trades repeated by SECONDARY though PRIMARY delivers them too. */
  public long secondaryCopies() {
    return secondaryCopies;
  }

  /** Deliveries queued for later (copies, fills, swaps, late trades). */
  public int pending() {
    return delayed.size();
  }

  /** Schedule time skipped because polls fell more than {@code maxLagNanos} behind. */
  public long skippedNanos() {
    return skippedNanos;
  }

  private void start(long now) {
    started = true;
    for (int i = 0; i < n; i++) {
      nextTime[i] = now + interArrival(i);
      heap[i] = i;
    }
    for (int i = n / 2 - 1; i >= 0; i--) siftDown(i);
  }

  /** Generates the earliest scheduled trade and delivers or queues it; returns how many ticks it delivered now. */
  private int trade(long now, TickSink sink) {
    int i = heap[0];
    long at = nextTime[i];
    long s = ++seq[i];
    long p = nextPrice(i);
    long qty = 0;
    Side side = null;
    long bid = Tick.NO_PRICE;
    long ask = Tick.NO_PRICE;
    if (quoted[i]) {
      qty = (1 + rng.nextInt(1 + rng.nextInt(maxLots[i]))) * lot[i];
      side = rng.nextBoolean() ? Side.BUY : Side.SELL;
      long spread = (1 + rng.nextInt(2)) * tick[i];
      if (side == Side.BUY) {
        ask = p;
        bid = p - spread >= tick[i] ? p - spread : Tick.NO_PRICE;
      } else {
        bid = p;
        ask = p + spread;
      }
    }
    nextTime[i] = at + interArrival(i);
    siftDown(0);
    generated++;

    double r = rng.nextDouble();
    if (r < settings.gapRate()) {
      dropped++;
      if (rng.nextDouble() < settings.lossShare()) {
        lost++;
      } else {
        queue(at + uniform(FILL_DELAY_MIN, FILL_DELAY_MAX), tick(i, at, now, p, qty, s, Feed.SECONDARY, side, bid, ask));
      }
      return 0;
    }
    r -= settings.gapRate();
    if (r < settings.lateRate()) {
      late++;
      queue(at + uniform(LATE_DELAY_MIN, LATE_DELAY_MAX), tick(i, at, now, p, qty, s, Feed.PRIMARY, side, bid, ask));
      return 0;
    }
    r -= settings.lateRate();
    Tick primary = tick(i, at, now, p, qty, s, Feed.PRIMARY, side, bid, ask);
    int delivered = 0;
    if (r < settings.reorderRate()) {
      reordered++;
      queue(nextTime[i] + 1, primary); // just after this instrument's next trade
    } else {
      sink.accept(primary);
      delivered = 1;
    }
    if (settings.secondaryShare() > 0 && rng.nextDouble() < settings.secondaryShare()) {
      secondaryCopies++;
      queue(at + uniform(COPY_DELAY_MIN, COPY_DELAY_MAX), tick(i, at, now, p, qty, s, Feed.SECONDARY, side, bid, ask));
    }
    return delivered;
  }

  private Tick tick(int i, long at, long now, long p, long qty, long s, Feed feed, Side side, long bid, long ask) {
    return new Tick(token[i], at, now, p, qty, Tick.NO_TRADE_ID, s, feed, side, bid, ask, TickStatus.LIVE);
  }

  private long nextPrice(int i) {
    long t = tick[i];
    long p;
    switch (model[i]) {
      case FUTURE -> p = SimPricing.future(price[underlying[i]], years[i], t) + (rng.nextInt(5) - 2) * t;
      case OPTION -> p = SimPricing.option(price[underlying[i]], strike[i], years[i], call[i], t) + (rng.nextInt(3) - 1) * t;
      default -> {
        long step = (rng.nextLong(2 * walkStep[i] + 1) - walkStep[i]) * t;
        long cur = price[i];
        if (cur >= bandHigh[i]) step = -Math.abs(step);
        else if (cur <= bandLow[i]) step = Math.abs(step);
        p = cur + step;
      }
    }
    p = Math.max(t, p);
    price[i] = p;
    return p;
  }

  private long interArrival(int i) {
    return 1 + (long) (meanGapNanos[i] * -StrictMath.log(1.0 - rng.nextDouble()));
  }

  private long uniform(long min, long max) {
    return min + rng.nextLong(max - min + 1);
  }

  private void queue(long due, Tick t) {
    delayed.add(new Delayed(due, delayedOrder++, t));
  }

  private void siftDown(int pos) {
    int item = heap[pos];
    while (true) {
      int child = 2 * pos + 1;
      if (child >= n) break;
      if (child + 1 < n && before(heap[child + 1], heap[child])) child++;
      if (!before(heap[child], item)) break;
      heap[pos] = heap[child];
      pos = child;
    }
    heap[pos] = item;
  }

  private boolean before(int a, int b) {
    return nextTime[a] < nextTime[b] || (nextTime[a] == nextTime[b] && a < b);
  }
}
