package io.tickloom.bench;

import io.tickloom.protocol.Side;
import io.tickloom.protocol.book.DepthMessage;
import io.tickloom.protocol.book.LiveBook;
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
 * The instrument entity's per-message book work: {@link LiveBook#apply} of one pre-built {@link DepthMessage}, as an
 * {@code IngestDepth} batch does for each of its messages (the L2 path: an {@code L2_UPDATE} of 1–3 levels with
 * contiguous update ids on a book of about 2 × 50 levels; the L3 path: order adds, cancels and executions), plus the
 * message's binary encoding for the book log, which the writer does off the actor ({@code encodeForLog}). {@code -prof
 * gc}: apply allocates nothing; the encoding allocates its byte array.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class LiveBookBenchmark {
  static final int N = 1 << 16;
  private final DepthMessage[] l2 = new DepthMessage[N];
  private final DepthMessage[] l3 = new DepthMessage[N];
  private LiveBook l2Book;
  private LiveBook l3Book;
  private int i2;
  private int i3;

  @Setup
  public void setup() {
    SplittableRandom r = new SplittableRandom(7);
    for (int k = 0; k < N; k++) {
      int n = 1 + r.nextInt(3);
      long[] bp = new long[n];
      long[] bs = new long[n];
      long[] ap = new long[n];
      long[] as = new long[n];
      for (int j = 0; j < n; j++) {
        bp[j] = 99_950 + r.nextInt(50);
        bs[j] = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(100);
        ap[j] = 100_001 + r.nextInt(50);
        as[j] = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(100);
      }
      l2[k] = DepthMessage.l2Update(1, k, k, k + 1, k + 1, k, bp, bs, ap, as); // ids rewritten per cycle below
    }
    for (int k = 0; k < N; k++) {
      // blocks of four: add order b, then a partial cancel, a partial execution and the delete of order b - 100 (about
      // 100 orders rest)
      long b = k / 4;
      boolean bid = r.nextBoolean();
      l3[k] = switch (k % 4) {
        case 0 -> DepthMessage.order(1, k, k, DepthMessage.Type.L3_ADD, b, bid ? Side.BUY : Side.SELL,
            bid ? 99_950 + r.nextInt(50) : 100_001 + r.nextInt(50), 5);
        case 1 -> DepthMessage.order(1, k, k, DepthMessage.Type.L3_CANCEL, b - 100, Side.BUY, 0, 1);
        case 2 -> DepthMessage.order(1, k, k, DepthMessage.Type.L3_EXECUTE, b - 100, Side.BUY, 0, 1);
        default -> DepthMessage.order(1, k, k, DepthMessage.Type.L3_DELETE, b - 100, Side.BUY, 0, 3);
      };
    }
    l2Book = new LiveBook();
    l2Book.apply(DepthMessage.l2Snapshot(1, 0, 0, 0, new long[] {99_999}, new long[] {10}, new long[] {100_001}, new long[] {10}));
    l3Book = new LiveBook();
  }

  @Benchmark
  public Object l2Apply() {
    if (i2 == N) {
      // a new cycle starts again at update id 1: a snapshot at id 0 before it keeps the sequence contiguous
      i2 = 0;
      l2Book.apply(DepthMessage.l2Snapshot(1, 0, 0, 0, new long[] {99_999}, new long[] {10}, new long[] {100_001}, new long[] {10}));
    }
    return l2Book.apply(l2[i2++]);
  }

  @Benchmark
  public Object l3Apply() {
    if (i3 == N) {
      i3 = 0;
      l3Book = new LiveBook();
    }
    return l3Book.apply(l3[i3++]);
  }

  @Benchmark
  public byte[] encodeForLog() {
    DepthMessage m = l2[i2];
    if (++i2 == N) i2 = 0;
    return LiveBook.encode(m);
  }
}
