package io.tickloom.bench;

import io.tickloom.protocol.Side;
import io.tickloom.protocol.book.BookIntegrityListener;
import io.tickloom.protocol.book.L2Book;
import io.tickloom.protocol.book.L3Book;
import io.tickloom.protocol.book.LobsterReplay;
import io.tickloom.protocol.format.LobsterMessages;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The order book kernels, one instrument, single-threaded.
 *
 * <p><b>JMH</b> (ns per operation; {@code -prof gc} shows allocation, expected: none):
 * <ul>
 *   <li>{@code l2Update}: one Binance-style delta of one level ({@link L2Book#beginDelta} with the spot rule,
 *       {@link L2Book#set}, {@link L2Book#endDelta}) on a book of about 2 × 100 levels: sizes random, 1 in 5 a
 *       removal, prices within ±100 ticks of a random-walk mid (so most updates land near the top, as in real feeds).
 *   <li>{@code l3Message}: one order message on an {@link L3Book} holding 200 to 1,200 orders: 40 % adds, 20 % partial
 *       cancels, 15 % visible executions, 25 % deletes, prices within ±50 ticks of a random-walk mid. The stream is
 *       pre-generated ({@value #L3_MESSAGES} messages, cycled; it ends with an empty book so every cycle is valid).
 *   <li>{@code l2UpdateBatch}, {@code l3MessageBatch}: the same, 1,000 per invocation in sample mode, so the
 *       percentiles are of the per-message cost averaged over 1,000 (a single 30–60 ns operation is below the
 *       timer's resolution).
 * </ul>
 *
 * <p><b>Reconstruction throughput</b> ({@link #main}): writes a LOBSTER-format message file (default 3,000,000
 * messages of a level-10 book whose orders stay within 10 price levels per side, so a level-10 replay is exact) or
 * takes one, then times, single-threaded, in rounds: (1) {@link LobsterReplay} over messages pre-parsed into arrays
 * (the kernel alone), (2) {@link LobsterMessages} parsing plus the replay (what {@code book} does), (3) as 2 plus
 * formatting every row into a discarded writer (the whole {@code book} command without disk writes).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class BookBenchmark {
  static final int L2_UPDATES = 1 << 16;
  static final int L3_MESSAGES = 1 << 20;

  private final boolean[] l2Bid = new boolean[L2_UPDATES];
  private final long[] l2Price = new long[L2_UPDATES];
  private final long[] l2Size = new long[L2_UPDATES];
  private L2Book l2;
  private long updateId;
  private int l2i;

  private final byte[] l3Type = new byte[L3_MESSAGES];
  private final long[] l3Id = new long[L3_MESSAGES];
  private final boolean[] l3Bid = new boolean[L3_MESSAGES];
  private final long[] l3Price = new long[L3_MESSAGES];
  private final long[] l3Size = new long[L3_MESSAGES];
  private int l3Count;
  private L3Book l3;
  private int l3i;

  @Setup
  public void setup() {
    SplittableRandom r = new SplittableRandom(7);
    long mid = 100_000;
    for (int i = 0; i < L2_UPDATES; i++) {
      if (r.nextInt(50) == 0) mid += r.nextInt(-2, 3);
      boolean bid = r.nextBoolean();
      int off = 1 + (int) Math.abs(r.nextGaussian() * 30) % 100;
      l2Bid[i] = bid;
      l2Price[i] = bid ? mid - off : mid + off;
      l2Size[i] = r.nextInt(5) == 0 ? 0 : r.nextInt(1, 10_000);
    }
    l2 = new L2Book(L2Book.SyncRule.SPOT, 512, BookIntegrityListener.IGNORE);
    l2.beginSnapshot(0);
    l2.endSnapshot();
    for (int i = 0; i < L2_UPDATES; i++) l2Update();
    generateL3(r);
    l3 = new L3Book(8192, 512, BookIntegrityListener.IGNORE);
    for (int i = 0; i < l3Count; i++) l3Message();
    if (l3.integrityEvents() != 0 || l3.orderCount() != 0) throw new IllegalStateException("the L3 stream is not valid");
  }

  /** A valid order stream (no unknown ids, no over-cancels, never crossed) that ends with an empty book. */
  private void generateL3(SplittableRandom r) {
    List<Long> live = new ArrayList<>();
    Map<Long, long[]> orders = new HashMap<>(); // id -> {bid?1:0, price, size}
    long mid = 100_000;
    long nextId = 1;
    int n = 0;
    while (n < L3_MESSAGES - 4096) {
      if (r.nextInt(100) == 0) {
        long newMid = mid + r.nextInt(-1, 2);
        if (newMid != mid) {
          mid = newMid;
          for (int k = live.size() - 1; k >= 0 && n < L3_MESSAGES - 4096; k--) {
            long[] o = orders.get(live.get(k));
            if (o[0] == 1 ? o[1] >= mid : o[1] <= mid) n = l3Delete(n, live, orders, k);
          }
        }
      }
      int op = r.nextInt(100);
      if (live.size() < 200 || op < 40 && live.size() < 1200) {
        boolean bid = r.nextBoolean();
        long price = bid ? mid - r.nextInt(1, 50) : mid + r.nextInt(1, 50);
        long size = 100L * r.nextInt(1, 20);
        long id = nextId++;
        orders.put(id, new long[] {bid ? 1 : 0, price, size});
        live.add(id);
        put(n++, 1, id, bid, price, size);
      } else if (op >= 40 && op < 75) {
        int k = r.nextInt(live.size());
        long id = live.get(k);
        long[] o = orders.get(id);
        long size = Math.max(1, o[2] / 4);
        if (size == o[2]) {
          n = l3Delete(n, live, orders, k);
          continue;
        }
        o[2] -= size;
        put(n++, op < 60 ? 2 : 4, id, o[0] == 1, o[1], size);
      } else {
        n = l3Delete(n, live, orders, r.nextInt(live.size()));
      }
    }
    while (!live.isEmpty()) n = l3Delete(n, live, orders, live.size() - 1);
    l3Count = n;
  }

  private int l3Delete(int n, List<Long> live, Map<Long, long[]> orders, int k) {
    long id = live.get(k);
    live.set(k, live.get(live.size() - 1));
    live.remove(live.size() - 1);
    long[] o = orders.remove(id);
    put(n, 3, id, o[0] == 1, o[1], o[2]);
    return n + 1;
  }

  private void put(int i, int type, long id, boolean bid, long price, long size) {
    l3Type[i] = (byte) type;
    l3Id[i] = id;
    l3Bid[i] = bid;
    l3Price[i] = price;
    l3Size[i] = size;
  }

  @Benchmark
  public long l2Update() {
    int i = l2i++ & (L2_UPDATES - 1);
    long u = ++updateId;
    l2.beginDelta(u, u, u - 1);
    l2.set(l2Bid[i] ? Side.BUY : Side.SELL, l2Price[i], l2Size[i]);
    l2.endDelta();
    return l2.bestBidPrice();
  }

  @Benchmark
  public long l3Message() {
    int i = l3i;
    l3i = i + 1 == l3Count ? 0 : i + 1;
    long id = l3Id[i];
    switch (l3Type[i]) {
      case 1 -> l3.add(id, l3Bid[i] ? Side.BUY : Side.SELL, l3Price[i], l3Size[i]);
      case 2 -> l3.cancel(id, l3Size[i]);
      case 4 -> l3.execute(id, l3Size[i]);
      default -> l3.delete(id);
    }
    return l3.bestAskPrice();
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OperationsPerInvocation(1000)
  public long l2UpdateBatch() {
    long x = 0;
    for (int k = 0; k < 1000; k++) x += l2Update();
    return x;
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OperationsPerInvocation(1000)
  public long l3MessageBatch() {
    long x = 0;
    for (int k = 0; k < 1000; k++) x += l3Message();
    return x;
  }

  // --- reconstruction throughput ------------------------------------------------------------------------------

  /**
   * {@code BookBenchmark [MESSAGES.csv|-] [levels] [messages to generate] [rounds]}: {@code -} or no file generates
   * one (deleted afterwards). Prints messages/s per round and stage.
   */
  public static void main(String[] args) throws IOException {
    int levels = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int generate = args.length > 2 ? Integer.parseInt(args[2]) : 3_000_000;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    Path file;
    boolean temporary = args.length == 0 || args[0].equals("-");
    if (temporary) {
      file = Files.createTempFile("tickloom-lobster-", "_message_" + levels + ".csv");
      long t0 = System.nanoTime();
      writeLobsterFile(file, generate, levels, 42);
      System.out.printf("generated %,d messages (%,d bytes) in %.1f s: %s%n", generate, Files.size(file),
          (System.nanoTime() - t0) / 1e9, file);
    } else {
      file = Path.of(args[0]);
    }
    try {
      Parsed parsed = parse(file);
      System.out.printf("%,d messages, level %d, single thread%n", parsed.n, levels);
      for (int round = 1; round <= rounds; round++) {
        long t0 = System.nanoTime();
        long events = replayArrays(parsed, levels);
        long t1 = System.nanoTime();
        long events2 = replayFile(file, levels, null);
        long t2 = System.nanoTime();
        long events3 = replayFile(file, levels, Writer.nullWriter());
        long t3 = System.nanoTime();
        System.out.printf("round %d: kernel %.2f M msg/s | parse+replay %.2f M msg/s | parse+replay+format %.2f M msg/s"
            + " (integrity events %d/%d/%d)%n", round, parsed.n * 1e3 / (t1 - t0), parsed.n * 1e3 / (t2 - t1),
            parsed.n * 1e3 / (t3 - t2), events, events2, events3);
      }
    } finally {
      if (temporary) Files.deleteIfExists(file);
    }
  }

  private record Parsed(int n, byte[] type, boolean[] bid, long[] price, long[] size) {}

  private static Parsed parse(Path file) throws IOException {
    int cap = 1 << 20;
    byte[] type = new byte[cap];
    boolean[] bid = new boolean[cap];
    long[] price = new long[cap];
    long[] size = new long[cap];
    int n = 0;
    try (LobsterMessages m = new LobsterMessages(Files.newBufferedReader(file, StandardCharsets.UTF_8), file.toString())) {
      while (m.next()) {
        if (n == type.length) {
          type = java.util.Arrays.copyOf(type, n * 2);
          bid = java.util.Arrays.copyOf(bid, n * 2);
          price = java.util.Arrays.copyOf(price, n * 2);
          size = java.util.Arrays.copyOf(size, n * 2);
        }
        type[n] = (byte) m.type();
        bid[n] = m.direction() == 1;
        price[n] = m.price();
        size[n] = m.size();
        n++;
      }
    }
    return new Parsed(n, type, bid, price, size);
  }

  private static long replayArrays(Parsed p, int levels) {
    LobsterReplay replay = new LobsterReplay(levels, BookIntegrityListener.IGNORE);
    for (int i = 0; i < p.n; i++) replay.apply(p.type[i], p.bid[i] ? Side.BUY : Side.SELL, p.price[i], p.size[i]);
    return replay.book().integrityEvents();
  }

  private static long replayFile(Path file, int levels, Writer out) throws IOException {
    LobsterReplay replay = new LobsterReplay(levels, BookIntegrityListener.IGNORE);
    StringBuilder line = new StringBuilder(64 * levels);
    try (LobsterMessages m = new LobsterMessages(new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16), file.toString())) {
      while (m.next()) {
        replay.apply(m);
        if (out != null) {
          line.setLength(0);
          replay.appendRow(line);
          line.append('\n');
          out.append(line);
        }
      }
    }
    return replay.book().integrityEvents();
  }

  /**
   * A synthetic LOBSTER message file: a random-walk book whose resting orders stay within {@code levels} price
   * ticks of the mid on each side (orders left outside when the mid moves are deleted first), so no side ever has
   * more than {@code levels} levels and a level-{@code levels} replay from an empty book is exact. Event mix while 50
   * to 2,000 orders rest: 45 % submits, 20 % partial cancels, 10 % visible and 5 % hidden executions, the rest
   * deletes.
   */
  static void writeLobsterFile(Path file, int messages, int levels, long seed) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    List<Long> live = new ArrayList<>();
    Map<Long, long[]> orders = new HashMap<>(); // id -> {direction, price, size}
    long mid = 5_000_000; // $500.00 x 10,000, ticks of $0.01 = 100
    long nextId = 1;
    long nanos = 34_200_000_000_000L;
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      int n = 0;
      StringBuilder sb = new StringBuilder(64);
      while (n < messages) {
        nanos += r.nextInt(0, 200_000);
        if (r.nextInt(200) == 0) {
          mid += 100L * r.nextInt(-1, 2);
          for (int k = live.size() - 1; k >= 0 && n < messages; k--) {
            long[] o = orders.get(live.get(k));
            long off = o[0] == 1 ? mid - o[1] : o[1] - mid;
            if (off < 100 || off > 100L * levels) {
              write(w, sb, nanos, 3, live.get(k), o[2], o[1], o[0]);
              n++;
              orders.remove(live.get(k));
              live.set(k, live.get(live.size() - 1));
              live.remove(live.size() - 1);
            }
          }
          continue;
        }
        int op = r.nextInt(100);
        if (live.size() < 50 || op < 45 && live.size() < 2000) {
          long dir = r.nextBoolean() ? 1 : -1;
          long price = mid - dir * 100L * r.nextInt(1, levels + 1);
          long size = 100L * r.nextInt(1, 10);
          long id = nextId++;
          orders.put(id, new long[] {dir, price, size});
          live.add(id);
          write(w, sb, nanos, 1, id, size, price, dir);
        } else if (op >= 45 && op < 80) {
          int k = r.nextInt(live.size());
          long id = live.get(k);
          long[] o = orders.get(id);
          if (op >= 75) {
            write(w, sb, nanos, 5, 0, 100, o[1], o[0]);
          } else if (o[2] <= 100) {
            write(w, sb, nanos, 3, id, o[2], o[1], o[0]);
            orders.remove(id);
            live.set(k, live.get(live.size() - 1));
            live.remove(live.size() - 1);
          } else {
            o[2] -= 100;
            write(w, sb, nanos, op < 65 ? 2 : 4, id, 100, o[1], o[0]);
          }
        } else {
          int k = r.nextInt(live.size());
          long id = live.get(k);
          long[] o = orders.remove(id);
          live.set(k, live.get(live.size() - 1));
          live.remove(live.size() - 1);
          write(w, sb, nanos, 3, id, o[2], o[1], o[0]);
        }
        n++;
      }
    }
  }

  private static void write(BufferedWriter w, StringBuilder sb, long nanos, int type, long id, long size, long price,
      long direction) throws IOException {
    sb.setLength(0);
    long frac = nanos % 1_000_000_000L;
    sb.append(nanos / 1_000_000_000L).append('.');
    String f = Long.toString(frac);
    for (int i = f.length(); i < 9; i++) sb.append('0');
    sb.append(f).append(',').append(type).append(',').append(id).append(',').append(size).append(',').append(price)
        .append(',').append(direction).append('\n');
    w.append(sb);
  }
}
