package io.tickloom.protocol.indicators;

/**
 * The last {@code n} values of a series with their mean and, optionally, their sum of squared deviations from the
 * mean ({@code m2}; population variance {@code = m2 / n}), for {@link Sma} and {@link BollingerBands}.
 *
 * <p><b>Numerics.</b> The classic running {@code Σx} and {@code Σx²} lose the variance to cancellation
 * ({@code Σx²/n - mean²} subtracts two numbers of ~1e10 to get ~1e-4 at prices ~1e5 moving by cents). Instead:
 * <ul>
 *   <li>Sums are kept relative to a reference value {@code ref} (a recent input): {@code sum = Σ(x - ref)}. Prices
 *       of one window are close to each other, so {@code x - ref} is exact (Sterbenz) and small, and the rounding
 *       error of every later operation scales with the window's spread, not with the price level.
 *       {@code mean = ref + sum / n}.
 *   <li>When the window first fills, and again every {@code n} slides afterwards, {@code ref} moves to the newest
 *       value and sum and m2 are recomputed from the buffer by two passes (corrected two-pass:
 *       {@code Σd² - (Σd)²/n}, {@code d = x - mean}), oldest to newest. That costs O(n) once per n updates: amortized
 *       O(1), worst case one pass over the window.
 *   <li>In between, one slide ({@code x} in, {@code old} out) updates them as Welford's method does for a fixed-size
 *       window: {@code sum' = sum + (x - old)}, {@code m2' = m2 + (x - old)·((x - mean') + (old - mean))} (in
 *       shifted values), clamped at 0. Rounding errors never accumulate over more than n slides.
 * </ul>
 * The next state is computed by {@link #next} into scratch fields without touching the state, and stored by
 * {@link #commit}; peeks and updates take the same arithmetic path. No allocation after construction.
 */
final class SlidingWindow {
  private final int n;
  private final boolean withM2;
  private final double[] buf;
  /** Slot of the next value: the oldest value once the window is full. */
  private int pos;
  private int count;
  private double ref;
  /** Σ(x - ref) over the window (defined once full). */
  private double sum;
  private double m2;
  /** Slides since the last two-pass recomputation. */
  private int sinceSync;

  // Result of the last next(): not state, never copied.
  private double nextRef;
  private double nextSum;
  private double nextM2;
  private int nextSinceSync;

  SlidingWindow(int n, boolean withM2) {
    if (n < 1) throw new IllegalArgumentException("window length must be >= 1: " + n);
    this.n = n;
    this.withM2 = withM2;
    this.buf = new double[n];
  }

  /**
   * Computes the window after {@code x} without storing it; returns whether that window is full (then
   * {@link #nextMean()} and {@link #nextM2()} are defined).
   */
  boolean next(double x) {
    if (count < n - 1) {
      nextRef = ref;
      nextSum = sum;
      nextM2 = m2;
      nextSinceSync = 0;
      return false;
    }
    if (count < n || sinceSync + 1 >= n) {
      twoPass(x);
      nextSinceSync = 0;
      return true;
    }
    double dx = x - ref;
    double dOld = buf[pos] - ref;
    double s = sum + (dx - dOld);
    nextRef = ref;
    nextSum = s;
    if (withM2) {
      double m = m2 + (dx - dOld) * ((dx - s / n) + (dOld - sum / n));
      nextM2 = m > 0 ? m : 0;
    }
    nextSinceSync = sinceSync + 1;
    return true;
  }

  /** Stores {@code x} and the state computed by the preceding {@link #next}{@code (x)}. */
  void commit(double x) {
    buf[pos] = x;
    pos = pos + 1 == n ? 0 : pos + 1;
    if (count < n) count++;
    ref = nextRef;
    sum = nextSum;
    m2 = nextM2;
    sinceSync = nextSinceSync;
  }

  double nextMean() {
    return nextRef + nextSum / n;
  }

  double nextM2() {
    return nextM2;
  }

  /** State of the n - 1 newest stored values followed by {@code x}, by two passes in that order, relative to x. */
  private void twoPass(double x) {
    int first = count == n ? (pos + 1 == n ? 0 : pos + 1) : 0;
    double s = 0;
    for (int i = 0, j = first; i < n - 1; i++, j = j + 1 == n ? 0 : j + 1) s += buf[j] - x;
    nextRef = x;
    nextSum = s;
    if (!withM2) return;
    double mean = s / n;
    double sd = 0;
    double sd2 = 0;
    for (int i = 0, j = first; i < n - 1; i++, j = j + 1 == n ? 0 : j + 1) {
      double d = (buf[j] - x) - mean;
      sd += d;
      sd2 += d * d;
    }
    sd -= mean; // the newest value itself: (x - x) - mean
    sd2 += mean * mean;
    double m = sd2 - sd * sd / n;
    nextM2 = m > 0 ? m : 0;
  }

  void clear() {
    pos = 0;
    count = 0;
    ref = 0;
    sum = 0;
    m2 = 0;
    sinceSync = 0;
  }

  void write(java.io.DataOutput out) throws java.io.IOException {
    out.writeInt(n);
    for (double x : buf) out.writeDouble(x);
    out.writeInt(pos);
    out.writeInt(count);
    out.writeDouble(ref);
    out.writeDouble(sum);
    out.writeDouble(m2);
    out.writeInt(sinceSync);
  }

  void read(java.io.DataInput in) throws java.io.IOException {
    int len = in.readInt();
    if (len != n) throw new java.io.IOException("window of " + len + " values, expected " + n);
    for (int i = 0; i < n; i++) buf[i] = in.readDouble();
    pos = in.readInt();
    count = in.readInt();
    ref = in.readDouble();
    sum = in.readDouble();
    m2 = in.readDouble();
    sinceSync = in.readInt();
    if (pos < 0 || pos >= n || count < 0 || count > n || sinceSync < 0) throw new java.io.IOException("inconsistent window state");
  }

  void copyFrom(SlidingWindow o) {
    System.arraycopy(o.buf, 0, buf, 0, n);
    pos = o.pos;
    count = o.count;
    ref = o.ref;
    sum = o.sum;
    m2 = o.m2;
    sinceSync = o.sinceSync;
  }
}
