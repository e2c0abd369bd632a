package io.tickloom.bench;

import io.tickloom.protocol.sequencing.Deduper;
import io.tickloom.protocol.sequencing.GapListener;
import io.tickloom.protocol.sequencing.Sequencer;
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
 * Dedupe + sequencing of one instrument, one call per tick: every 10th key arrives twice (the secondary
 * feed's repeat). ns per tick; {@code -prof gc} shows allocation (expected: none).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class SequencingBenchmark {
  private Deduper deduper;
  private Sequencer sequencer;
  private long n;

  @Setup
  public void setup() {
    deduper = new Deduper(65_536);
    sequencer = new Sequencer(1, 2_000_000_000L, 64, GapListener.NONE);
  }

  @Benchmark
  public Object dedupeAndSequence() {
    long i = ++n;
    long seq = (i % 10 == 0) ? i - 1 : i; // a repeat of the previous seq every 10th tick
    if (!deduper.firstSight(seq)) return null;
    return sequencer.accept(seq, i * 1000);
  }
}
