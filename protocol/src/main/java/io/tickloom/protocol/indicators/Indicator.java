package io.tickloom.protocol.indicators;

import java.util.List;

/**
 * A streaming technical indicator of one instrument × timeframe (SPEC §4): a plain, single-threaded kernel that
 * its owner feeds bar by bar. Conventions per kernel are in the {@linkplain io.tickloom.protocol.indicators
 * package documentation} (TA-Lib's DEFAULT conventions; where ta4j differs it is stated there).
 *
 * <p><b>Bars.</b> A bar is given as {@code open, high, low, close, volume, vwap, sessionStart}, prices and volume as
 * doubles. {@code vwap} is the bar's own volume-weighted price, or {@link Double#NaN} when the source has none;
 * only {@link SessionVwap} reads it. {@code sessionStart} says that this bar is the first of a trading session;
 * only {@link SessionVwap} reads it, the other kernels run across sessions like TA-Lib and ta4j over a series.
 *
 * <p><b>Contract.</b>
 * <ul>
 *   <li>{@link #update} takes a <i>final</i> bar and advances the state. The first output comes with the
 *       {@code (lookback() + 1)}-th update; before it every {@link #value} is NaN and {@link #ready()} is false.
 *   <li>{@link #peek} takes a <i>forming</i> bar and writes the values this indicator would have if that bar were
 *       final, without changing any state: {@code peek(b)} equals, bit for bit, the values after {@code update(b)}
 *       on a {@link #copy()}.
 *   <li>{@link #copyFrom} takes the whole state of another instance of the same kind and parameters (checkpoints,
 *       warm start); {@link #copy()} returns a new instance in the same state. Copies evolve bit-identically.
 *   <li>{@link #update}, {@link #peek}, {@link #value}, {@link #ready}, {@link #reset} and {@link #copyFrom} run in
 *       O(1) (amortized for the sliding windows of {@link Sma} and {@link BollingerBands}, which re-sum their window
 *       once every {@code n} updates) and never allocate. {@link #copy()} allocates the new instance.
 * </ul>
 * Not thread-safe.
 */
public sealed interface Indicator permits AbstractIndicator {

  /** Canonical name: {@code SMA_20}, {@code RSI_14}, {@code MACD_12_26_9}, {@code BB_20_2}, {@code VWAP}. */
  String name();

  /**
   * Names of the outputs, in {@link #value} order: the name itself for one output, else {@code NAME.part}
   * ({@code MACD_12_26_9.macd}, {@code .signal}, {@code .hist}; {@code BB_20_2.middle}, {@code .upper},
   * {@code .lower}). Immutable.
   */
  List<String> outputs();

  /** Number of final bars consumed before the first output (TA-Lib's lookback: SMA_20 19, RSI_14 14, VWAP 0). */
  int lookback();

  /**
   * A final bar: advances the state.
   *
   * @param vwap the bar's own VWAP, or NaN when unknown
   * @param sessionStart whether this bar opens a trading session
   */
  void update(double open, double high, double low, double close, double volume, double vwap, boolean sessionStart);

  /** Whether the last {@link #update} produced an output (all outputs of a kernel start together). */
  boolean ready();

  /** Output {@code output} after the last {@link #update}; NaN before the first output. */
  double value(int output);

  /**
   * A forming bar: writes into {@code out[offset ..]} the {@link #outputs()}{@code .size()} values this indicator
   * would have if the bar were final (NaN where it would have none). Changes no state.
   */
  void peek(double open, double high, double low, double close, double volume, double vwap, boolean sessionStart,
      double[] out, int offset);

  /** Back to the state before the first bar. */
  void reset();

  /**
   * Takes the whole state of {@code other}, which must have the same {@link #name()}.
   *
   * @throws IllegalArgumentException when {@code other} is another kind or has other parameters
   */
  void copyFrom(Indicator other);

  /**
   * Writes the whole state (warm-start snapshots): {@link #readState} on an instance of the same name restores it
   * bit for bit.
   */
  void writeState(java.io.DataOutput out) throws java.io.IOException;

  /**
   * Takes the state {@link #writeState} wrote.
   *
   * @throws java.io.IOException when the data is for another indicator or malformed (the state is then undefined:
   *     {@link #reset} before reuse)
   */
  void readState(java.io.DataInput in) throws java.io.IOException;

  /** A new instance in this state. Allocates. */
  Indicator copy();
}
