package io.tickloom.protocol.indicators;

import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Fixed;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The indicators of one instrument × timeframe, fed together. Outputs are numbered across the set in the order of
 * the names and of each kernel's {@link Indicator#outputs()}: {@code [SMA_9, ..., MACD_12_26_9.macd,
 * MACD_12_26_9.signal, MACD_12_26_9.hist, ...]}; {@link #values} and {@link #peek} fill a {@code double[]} in that
 * order (NaN where an indicator has no value yet).
 *
 * <p>Same contract as {@link Indicator}: {@link #update} on final bars, {@link #peek} on the forming bar without
 * changing state, {@link #copyFrom} for checkpoints. None of {@code update}, {@code peek}, {@code values},
 * {@code reset} or {@code copyFrom} allocates. Not thread-safe.
 */
public final class IndicatorSet {
  /** What an instrument × timeframe computes unless configured otherwise. */
  public static final List<String> DEFAULT_NAMES = List.of(
      "SMA_9", "SMA_20", "SMA_50", "SMA_200", "EMA_9", "EMA_21", "RSI_14", "MACD_12_26_9", "BB_20_2", "ATR_14", "VWAP");

  private final Indicator[] indicators;
  private final int[] offsets;
  private final List<String> names;
  private final List<String> outputNames;

  private IndicatorSet(Indicator[] indicators) {
    this.indicators = indicators;
    this.offsets = new int[indicators.length];
    List<String> n = new ArrayList<>(indicators.length);
    List<String> outs = new ArrayList<>();
    for (int i = 0; i < indicators.length; i++) {
      offsets[i] = outs.size();
      n.add(indicators[i].name());
      outs.addAll(indicators[i].outputs());
    }
    this.names = Collections.unmodifiableList(n);
    this.outputNames = Collections.unmodifiableList(outs);
  }

  /**
   * Kernels for {@code names} (see {@link Indicators#parse}), in that order.
   *
   * @throws IllegalArgumentException for a bad name, or a name given twice (compared canonically)
   */
  public static IndicatorSet of(List<String> names) {
    Objects.requireNonNull(names, "names");
    Indicator[] kernels = new Indicator[names.size()];
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < kernels.length; i++) {
      kernels[i] = Indicators.parse(names.get(i));
      if (!seen.add(kernels[i].name())) {
        throw new IllegalArgumentException("indicator " + kernels[i].name() + " given twice");
      }
    }
    return new IndicatorSet(kernels);
  }

  /** The {@link #DEFAULT_NAMES}. */
  public static IndicatorSet defaults() {
    return of(DEFAULT_NAMES);
  }

  /** Canonical names of the indicators, in order. */
  public List<String> names() {
    return names;
  }

  /** Names of all outputs, in value order. */
  public List<String> outputNames() {
    return outputNames;
  }

  public int outputCount() {
    return outputNames.size();
  }

  public int size() {
    return indicators.length;
  }

  /** The {@code i}-th kernel (live: changing it changes the set). */
  public Indicator get(int i) {
    return indicators[i];
  }

  /** Index of the first output of the {@code i}-th indicator. */
  public int offset(int i) {
    return offsets[i];
  }

  /** A final bar for every indicator (see {@link Indicator#update}). */
  public void update(double open, double high, double low, double close, double volume, double vwap,
      boolean sessionStart) {
    for (Indicator ind : indicators) ind.update(open, high, low, close, volume, vwap, sessionStart);
  }

  /**
   * A final fixed-point {@link Bar}: prices at {@code priceScale}, volume at {@code qtyScale}; its {@code vwap} is used
   * by {@code VWAP}.
   */
  public void update(Bar bar, int priceScale, int qtyScale, boolean sessionStart) {
    update(price(bar.open(), priceScale), price(bar.high(), priceScale), price(bar.low(), priceScale),
        price(bar.close(), priceScale), price(bar.volume(), qtyScale), price(bar.vwap(), priceScale), sessionStart);
  }

  /** Values after the last update into {@code out[0 .. outputCount())}. */
  public void values(double[] out) {
    for (int i = 0; i < indicators.length; i++) {
      Indicator ind = indicators[i];
      int n = ind.outputs().size();
      for (int j = 0; j < n; j++) out[offsets[i] + j] = ind.value(j);
    }
  }

  /** Values as if the forming bar were final, into {@code out[0 .. outputCount())}; changes no state. */
  public void peek(double open, double high, double low, double close, double volume, double vwap,
      boolean sessionStart, double[] out) {
    for (int i = 0; i < indicators.length; i++) {
      indicators[i].peek(open, high, low, close, volume, vwap, sessionStart, out, offsets[i]);
    }
  }

  /** {@link #peek(double, double, double, double, double, double, boolean, double[])} of a fixed-point bar. */
  public void peek(Bar bar, int priceScale, int qtyScale, boolean sessionStart, double[] out) {
    peek(price(bar.open(), priceScale), price(bar.high(), priceScale), price(bar.low(), priceScale),
        price(bar.close(), priceScale), price(bar.volume(), qtyScale), price(bar.vwap(), priceScale), sessionStart, out);
  }

  public void reset() {
    for (Indicator ind : indicators) ind.reset();
  }

  /**
   * Takes the whole state of {@code other}, which must hold the same names in the same order.
   *
   * @throws IllegalArgumentException otherwise
   */
  public void copyFrom(IndicatorSet other) {
    if (other == this) return;
    if (!other.names.equals(names)) {
      throw new IllegalArgumentException("cannot copy indicators " + other.names + " into " + names);
    }
    for (int i = 0; i < indicators.length; i++) indicators[i].copyFrom(other.indicators[i]);
  }

  /** Writes the state of every kernel, names first (see {@link Indicator#writeState}). */
  public void writeState(java.io.DataOutput out) throws java.io.IOException {
    out.writeInt(indicators.length);
    for (Indicator ind : indicators) ind.writeState(out);
  }

  /**
   * Takes the state {@link #writeState} wrote for a set of the same names in the same order.
   *
   * @throws java.io.IOException when the names differ or the data is malformed
   */
  public void readState(java.io.DataInput in) throws java.io.IOException {
    int n = in.readInt();
    if (n != indicators.length) throw new java.io.IOException("state of " + n + " indicators, this set has " + indicators.length);
    for (Indicator ind : indicators) ind.readState(in);
  }

  /** A new set in this state. Allocates. */
  public IndicatorSet copy() {
    Indicator[] kernels = new Indicator[indicators.length];
    for (int i = 0; i < kernels.length; i++) kernels[i] = indicators[i].copy();
    return new IndicatorSet(kernels);
  }

  /**
   * A fixed-point value as the nearest double to its decimal value (both operands are exact doubles while
   * {@code |value| < 2^53}, and IEEE division rounds once), so {@code 250005 @ 2} is the same double as
   * {@code Double.parseDouble("2500.05")}.
   */
  static double price(long value, int scale) {
    return scale == 0 ? value : value / (double) Fixed.pow10(scale);
  }

  @Override
  public String toString() {
    return "IndicatorSet" + names;
  }
}
