package io.tickloom.bench;

import io.tickloom.protocol.indicators.IndicatorSet;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The full default indicator set (SMA 9/20/50/200, EMA 9/21, RSI 14, MACD 12/26/9, BB 20/2, ATR 14, VWAP) of one
 * instrument × timeframe: ns per final-bar update, and per forming-bar peek. Bars are a seeded random walk, pre-made
 * (4,096, cycled). {@code -prof gc} shows allocation (expected: none).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class IndicatorBenchmark {
  private static final int N = 4096;
  private final double[] open = new double[N];
  private final double[] high = new double[N];
  private final double[] low = new double[N];
  private final double[] close = new double[N];
  private final double[] volume = new double[N];
  private IndicatorSet set;
  private double[] out;
  private int i;

  @Setup
  public void setup() {
    SplittableRandom r = new SplittableRandom(42);
    double p = 1000;
    for (int k = 0; k < N; k++) {
      open[k] = p;
      p = Math.max(1, p + r.nextDouble(-2, 2));
      close[k] = p;
      high[k] = Math.max(open[k], close[k]) + r.nextDouble(0, 1);
      low[k] = Math.min(open[k], close[k]) - r.nextDouble(0, 1);
      volume[k] = 100 + r.nextInt(10_000);
    }
    set = IndicatorSet.defaults();
    out = new double[set.outputCount()];
    for (int k = 0; k < N; k++) update(k);
  }

  private void update(int k) {
    set.update(open[k], high[k], low[k], close[k], volume[k], Double.NaN, (k & 375) == 0);
  }

  @Benchmark
  public double updateDefaultSet() {
    int k = i++ & (N - 1);
    update(k);
    set.values(out);
    return out[0];
  }

  @Benchmark
  public double peekDefaultSet() {
    int k = i++ & (N - 1);
    set.peek(open[k], high[k], low[k], close[k], volume[k], Double.NaN, false, out);
    return out[0];
  }
}
