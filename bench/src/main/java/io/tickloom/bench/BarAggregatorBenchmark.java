package io.tickloom.bench;

import io.tickloom.protocol.Bar;
import io.tickloom.protocol.EmptyBarPolicy;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.TradingHours;
import io.tickloom.protocol.bars.BarAggregator;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * One instrument's bar aggregator fed one tick per call, 100 µs of event time apart, all ten timeframes
 * (a 1s bar closes every 10,000 ticks). Measures ns per tick and, with {@code -prof gc}, allocation per tick.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class BarAggregatorBenchmark {
  private BarAggregator aggregator;
  private long ts;
  private long seq;
  private long price;
  private Blackhole sinkHole;

  @Setup
  public void setup(Blackhole bh) {
    sinkHole = bh;
    aggregator = new BarAggregator(1, TradingHours.NSE.aroundTheClock(), EmptyBarPolicy.SKIP, Timeframe.values(),
        1_000_000_000L, 600, (Bar b) -> sinkHole.consume(b));
    ts = 1_767_225_600_000_000_000L;
    price = 250_000;
  }

  @Benchmark
  public void onTick() {
    ts += 100_000;
    price += ((seq & 3) - 1) * 5;
    aggregator.onTick(ts, price, 10, ++seq);
  }
}
