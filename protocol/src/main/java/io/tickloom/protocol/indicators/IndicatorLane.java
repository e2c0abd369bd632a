package io.tickloom.protocol.indicators;

import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Timeframe;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongUnaryOperator;

/**
 * The indicators of one instrument × timeframe fed by the final bars of a {@code BarAggregator}, revisions included
 * (SPEC §4): confirmed values on final bars, forming values by {@link #peek}, and late-tick revisions recomputed
 * deterministically. Plain Java, single-threaded.
 *
 * <p><b>How revisions stay exact.</b> The lane keeps the last {@code capacity} final bars (the bar aggregator keeps
 * as many, so every bar it can still revise is here) and two states: {@code base}, every bar before that window
 * folded in, and {@code head}, base plus the window. A new final bar after the window's newest advances {@code head}
 * by one update. A bar that replaces one in the window (a revision) or lands between two of its bars (a late tick
 * into an interval that had no bar) marks the window dirty from that position; {@link #settle} then rebuilds
 * {@code head} from {@code base} over the window and re-emits the values of every bar from that position on, since
 * each of them depends on the changed one. When the window overflows its oldest bar is folded into {@code base}.
 * So after every {@code settle} the values equal, bit for bit, one uninterrupted run of the kernels over the final
 * series as it stands (latest revision of every bar), whatever the order the revisions came in; a revision costs
 * one pass over the window, a plain final bar one update.
 *
 * <p><b>Sessions.</b> {@code VWAP} restarts on the first bar of a session: a bar starts one when
 * {@code sessionOf(start)} differs from that of the bar before it.
 *
 * <p><b>Warm start.</b> {@link #writeState} stores {@code base} and the boundary below which bars are folded into it;
 * {@link #readState} restores them with an empty window, and the owner then feeds the final bars from that boundary
 * on ({@link #boundary()}) to rebuild the window and {@code head} exactly.
 */
public final class IndicatorLane {

  /**
   * Receives values as they are confirmed: {@code values} is a fresh array the sink may keep. {@code recomputed} is
   * false for the values of a new final bar after every bar emitted so far, true otherwise (a revision changed this
   * bar or an earlier one, or a late tick created a bar between two emitted ones): such values may replace earlier
   * values of the same bar, and later values of a bar always replace earlier ones.
   */
  public interface Sink {
    void onValues(Timeframe tf, long start, double[] values, boolean recomputed);
  }

  private final Timeframe tf;
  private final int capacity;
  private final int priceScale;
  private final int qtyScale;
  private final LongUnaryOperator sessionOf;
  private final Sink sink;
  private final IndicatorSet base;
  private final IndicatorSet head;
  /** The window: bars sorted by start, oldest at {@code ring[first]}. */
  private final Bar[] ring;
  private int first;
  private int size;
  /** Session of the newest bar folded into base, {@link Long#MIN_VALUE} while none. */
  private long baseSession = Long.MIN_VALUE;
  /** Start of the newest bar folded into base, {@link Long#MIN_VALUE} while none: older bars are ignored. */
  private long baseLastStart = Long.MIN_VALUE;
  /** Window position from which head and the emitted values are out of date, -1 when none. */
  private int dirtyFrom = -1;
  private long ignored;
  /** Start of the newest bar whose values were emitted, {@link Long#MIN_VALUE} before any. */
  private long emittedUpTo = Long.MIN_VALUE;

  /**
   * @param names indicator names (see {@link Indicators#parse})
   * @param capacity final bars kept for revisions (the bar aggregator's revision history), >= 1
   * @param sessionOf the session id (e.g. its start) of a bar start, for {@code VWAP} resets
   */
  public IndicatorLane(Timeframe tf, java.util.List<String> names, int capacity, int priceScale, int qtyScale,
      LongUnaryOperator sessionOf, Sink sink) {
    if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
    this.tf = Objects.requireNonNull(tf, "tf");
    this.capacity = capacity;
    this.priceScale = priceScale;
    this.qtyScale = qtyScale;
    this.sessionOf = Objects.requireNonNull(sessionOf, "sessionOf");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.base = IndicatorSet.of(names);
    this.head = IndicatorSet.of(names);
    this.ring = new Bar[capacity + 1];
  }

  public Timeframe tf() {
    return tf;
  }

  public java.util.List<String> outputNames() {
    return head.outputNames();
  }

  public int outputCount() {
    return head.outputCount();
  }

  /**
   * A final bar of this timeframe: new, a revision of a bar in the window, or a bar into an empty interval inside
   * it. A bar older than the window is ignored (counted in {@link #ignored()}; the bar aggregator never emits one).
   * New bars are confirmed at once; a revision waits for {@link #settle}.
   */
  public void onFinal(Bar bar) {
    if (bar.tf() != tf) throw new IllegalArgumentException("a " + bar.tf().label() + " bar in the " + tf.label() + " lane");
    if (!bar.isFinal()) throw new IllegalArgumentException("forming bars are peeked, not fed");
    long start = bar.start();
    if (size == 0 || start > at(size - 1).start()) {
      if (start <= baseLastStart) {
        ignored++;
        return;
      }
      ring[slot(size)] = bar;
      size++;
      if (dirtyFrom < 0) {
        head.update(bar, priceScale, qtyScale, sessionOf(size - 1) != previousSession(size - 1));
        emit(head, start, false);
      }
    } else {
      int i = search(start);
      if (i >= 0) {
        ring[slot(i)] = bar;
      } else {
        i = -i - 1;
        if (start <= baseLastStart) {
          ignored++;
          return;
        }
        insert(i, bar);
      }
      if (dirtyFrom < 0 || i < dirtyFrom) dirtyFrom = i;
    }
    if (size > capacity) evictOldest();
  }

  /** Recomputes after revisions (see the class doc) and emits what changed. Cheap when nothing is dirty. */
  public void settle() {
    if (dirtyFrom < 0) return;
    head.copyFrom(base);
    long prev = baseSession;
    for (int i = 0; i < size; i++) {
      Bar b = at(i);
      long s = sessionOf.applyAsLong(b.start());
      head.update(b, priceScale, qtyScale, s != prev);
      prev = s;
      if (i >= dirtyFrom) emit(head, b.start(), !fresh(b.start()));
    }
    dirtyFrom = -1;
  }

  /** Whether revisions wait for {@link #settle}. */
  public boolean dirty() {
    return dirtyFrom >= 0;
  }

  /**
   * The values the forming bar would give if it were final, into {@code out[0 .. outputCount())}; changes no state.
   * Settles first if needed.
   */
  public void peek(Bar forming, double[] out) {
    settle();
    long s = sessionOf.applyAsLong(forming.start());
    long prev = size == 0 ? baseSession : sessionOf.applyAsLong(at(size - 1).start());
    head.peek(forming, priceScale, qtyScale, s != prev, out);
  }

  /** The confirmed values after the newest final bar, into {@code out}. Settles first if needed. */
  public void values(double[] out) {
    settle();
    head.values(out);
  }

  /** Start of the newest final bar seen, {@link Long#MIN_VALUE} when none. */
  public long lastStart() {
    return size == 0 ? baseLastStart : at(size - 1).start();
  }

  /** Bars older than the window, ignored. */
  public long ignored() {
    return ignored;
  }

  /**
   * Where a restored lane resumes: final bars with {@code start > boundary()} are to be fed after {@link #readState}
   * ({@link Long#MIN_VALUE}: all of them).
   */
  public long boundary() {
    return baseLastStart;
  }

  /**
   * Writes the lane's durable state: base (the bars before the window) and its boundary. The window is not written:
   * its bars are stored final bars, fed again after {@link #readState}.
   */
  public void writeState(DataOutput out) throws IOException {
    out.writeUTF(tf.label());
    out.writeLong(baseLastStart);
    out.writeLong(baseSession);
    base.writeState(out);
  }

  /** Restores what {@link #writeState} wrote into this (fresh or used) lane; the window starts empty. */
  public void readState(DataInput in) throws IOException {
    String label = in.readUTF();
    if (!label.equals(tf.label())) throw new IOException("state of the " + label + " lane cannot be read into " + tf.label());
    long lastStart = in.readLong();
    long session = in.readLong();
    base.readState(in);
    head.copyFrom(base);
    baseLastStart = lastStart;
    baseSession = session;
    emittedUpTo = lastStart;
    Arrays.fill(ring, null);
    first = 0;
    size = 0;
    dirtyFrom = -1;
  }

  private void emit(IndicatorSet set, long start, boolean recomputed) {
    if (start > emittedUpTo) emittedUpTo = start;
    double[] v = new double[set.outputCount()];
    set.values(v);
    sink.onValues(tf, start, v, recomputed);
  }

  /**
   * Whether the bar starting at {@code start} never had values emitted: appended while the window was dirty (its
   * first values come from {@link #settle}). Bars are emitted in start order, so that is every bar after the newest
   * one emitted so far.
   */
  private boolean fresh(long start) {
    return start > emittedUpTo;
  }

  private void evictOldest() {
    Bar oldest = at(0);
    long s = sessionOf.applyAsLong(oldest.start());
    base.update(oldest, priceScale, qtyScale, s != baseSession);
    baseSession = s;
    baseLastStart = oldest.start();
    ring[first] = null;
    first = first + 1 == ring.length ? 0 : first + 1;
    size--;
    if (dirtyFrom > 0) {
      dirtyFrom--;
    } else if (dirtyFrom == 0) {
      // The oldest bar was revised (or inserted) and leaves the window before the next settle: its values are
      // base's now, and settle re-emits everything after it.
      emit(base, oldest.start(), !fresh(oldest.start()));
    }
  }

  private long sessionOf(int i) {
    return sessionOf.applyAsLong(at(i).start());
  }

  private long previousSession(int i) {
    return i == 0 ? baseSession : sessionOf(i - 1);
  }

  private Bar at(int i) {
    return ring[slot(i)];
  }

  private int slot(int i) {
    int s = first + i;
    return s >= ring.length ? s - ring.length : s;
  }

  /** Binary search by start: the position, or {@code -(insertion point) - 1}. */
  private int search(long start) {
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long s = at(mid).start();
      if (s < start) lo = mid + 1;
      else if (s > start) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  private void insert(int i, Bar bar) {
    for (int j = size; j > i; j--) ring[slot(j)] = ring[slot(j - 1)];
    ring[slot(i)] = bar;
    size++;
  }
}
