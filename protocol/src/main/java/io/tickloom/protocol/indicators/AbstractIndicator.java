package io.tickloom.protocol.indicators;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What every kernel shares: name, outputs, the last output values and the number of bars seen.
 *
 * <p>Each kernel implements one {@link #step} that computes the next state from the current one and a bar. With
 * {@code commit} it stores that state and writes the outputs to {@link #values}; without, it only writes the outputs
 * to the caller's array. {@link #update} and {@link #peek} are that one step, so a peek equals the update it
 * anticipates bit for bit by construction.
 */
abstract sealed class AbstractIndicator implements Indicator
    permits Sma, Ema, Rsi, Macd, BollingerBands, Atr, SessionVwap {

  private final String name;
  private final List<String> outputs;
  private final int lookback;
  /** Outputs after the last update; NaN before the first output. */
  final double[] values;
  /** Final bars seen since the last reset (saturates at Long.MAX_VALUE). */
  private long bars;

  /**
   * @param parts output suffixes, none for a single output named {@code name}
   */
  AbstractIndicator(String name, int lookback, String... parts) {
    this.name = Objects.requireNonNull(name, "name");
    this.lookback = lookback;
    if (parts.length == 0) {
      this.outputs = List.of(name);
    } else {
      String[] names = new String[parts.length];
      for (int i = 0; i < parts.length; i++) names[i] = name + '.' + parts[i];
      this.outputs = List.of(names);
    }
    this.values = new double[outputs.size()];
    Arrays.fill(values, Double.NaN);
  }

  /**
   * The next state after the bar with 0-based {@code index} (the number of final bars before it).
   *
   * @param dst receives the outputs at {@code off} (NaN where none)
   * @param commit whether to store the next state (an update) or leave the state untouched (a peek)
   */
  abstract void step(double open, double high, double low, double close, double volume, double vwap,
      boolean sessionStart, long index, double[] dst, int off, boolean commit);

  /** Clears the kernel's own state (the base clears {@link #values} and the bar count). */
  abstract void clearState();

  /** Copies the kernel's own state from {@code other}, of the same class and name. */
  abstract void copyStateFrom(AbstractIndicator other);

  /** Writes the kernel's own state (the base writes {@link #values} and the bar count). */
  abstract void writeOwn(java.io.DataOutput out) throws java.io.IOException;

  /** Reads what {@link #writeOwn} wrote. */
  abstract void readOwn(java.io.DataInput in) throws java.io.IOException;

  /** A fresh instance with the same parameters. */
  abstract AbstractIndicator newInstance();

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final List<String> outputs() {
    return outputs;
  }

  @Override
  public final int lookback() {
    return lookback;
  }

  @Override
  public final void update(double open, double high, double low, double close, double volume, double vwap,
      boolean sessionStart) {
    step(open, high, low, close, volume, vwap, sessionStart, bars, values, 0, true);
    if (bars != Long.MAX_VALUE) bars++;
  }

  @Override
  public final boolean ready() {
    return bars > lookback;
  }

  @Override
  public final double value(int output) {
    return values[output];
  }

  @Override
  public final void peek(double open, double high, double low, double close, double volume, double vwap,
      boolean sessionStart, double[] out, int offset) {
    step(open, high, low, close, volume, vwap, sessionStart, bars, out, offset, false);
  }

  @Override
  public final void reset() {
    Arrays.fill(values, Double.NaN);
    bars = 0;
    clearState();
  }

  @Override
  public final void copyFrom(Indicator other) {
    if (other == this) return;
    if (other == null || other.getClass() != getClass() || !other.name().equals(name)) {
      throw new IllegalArgumentException("cannot copy the state of " + other + " into " + name);
    }
    AbstractIndicator o = (AbstractIndicator) other;
    System.arraycopy(o.values, 0, values, 0, values.length);
    bars = o.bars;
    copyStateFrom(o);
  }

  @Override
  public final void writeState(java.io.DataOutput out) throws java.io.IOException {
    out.writeUTF(name);
    out.writeLong(bars);
    for (double v : values) out.writeDouble(v);
    writeOwn(out);
  }

  @Override
  public final void readState(java.io.DataInput in) throws java.io.IOException {
    String n = in.readUTF();
    if (!n.equals(name)) throw new java.io.IOException("state of " + n + " cannot be read into " + name);
    long b = in.readLong();
    if (b < 0) throw new java.io.IOException("negative bar count in the state of " + name);
    bars = b;
    for (int i = 0; i < values.length; i++) values[i] = in.readDouble();
    readOwn(in);
  }

  @Override
  public final Indicator copy() {
    AbstractIndicator c = newInstance();
    c.copyFrom(this);
    return c;
  }

  @Override
  public final String toString() {
    return name;
  }

  /** One EMA step, TA-Lib's form: {@code (x - prev) * k + prev}. */
  static double ema(double prev, double x, double k) {
    return (x - prev) * k + prev;
  }

  /** One Wilder step, TA-Lib's form: {@code (prev * (n - 1) + x) / n}. */
  static double wilder(double prev, double x, int n) {
    return (prev * (n - 1) + x) / n;
  }
}
