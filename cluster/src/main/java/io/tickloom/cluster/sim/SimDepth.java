package io.tickloom.cluster.sim;

import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.book.DepthMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Simulated L2 depth around a {@link SimulatedFeed}'s random-walk prices: per quoted instrument (not indices) a book of
 * {@code levels} price levels per side, one tick apart, the touch a tick or two around the last trade price, sizes in
 * whole lots growing with depth. It is sent as a Binance-style feed: an {@link DepthMessage#l2Snapshot} with an update
 * id first, then {@link DepthMessage#l2Update}s with contiguous update ids ({@code U = u = previous u + 1}) carrying
 * the levels that changed (absolute sizes, 0 removes) as the book follows the price and sizes move, and every
 * {@code snapshotIntervalNanos} a fresh snapshot (a book that lost sync, or an entity that started since, resyncs from
 * it). The book never crosses. Update rate: {@code updatesPerSecond} over the universe, instruments drawn by their
 * trade weight.
 *
 * <p>Deterministic for a seed and poll times (its own random stream: the trades of the {@link SimulatedFeed} are not
 * affected). Allocates per message (a demo source, not a hot path). Not thread-safe.
 */
public final class SimDepth {
  private final SimulatedFeed prices;
  private final int levels;
  private final double updatesPerSecond;
  private final long snapshotIntervalNanos;
  private final SplittableRandom rng;
  /** Indexes into the universe of the quoted instruments, and their cumulative weights. */
  private final int[] books;
  private final double[] cumulativeWeight;
  private final long[] token;
  private final long[] tick;
  private final long[] lot;
  private final long[][] bidP;
  private final long[][] bidS;
  private final long[][] askP;
  private final long[][] askS;
  private final long[] updateId;
  private final long[] nextSnapshot;
  private long lastPoll = Long.MIN_VALUE;
  private double due;
  private long messages;

  public SimDepth(SimulatedFeed prices, int levels, double updatesPerSecond, long snapshotIntervalNanos, long seed) {
    if (levels < 1) throw new IllegalArgumentException("levels must be positive: " + levels);
    this.prices = prices;
    this.levels = levels;
    this.updatesPerSecond = updatesPerSecond;
    this.snapshotIntervalNanos = snapshotIntervalNanos;
    this.rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
    List<Integer> quoted = new ArrayList<>();
    for (int i = 0; i < prices.universe().size(); i++) if (prices.quoted(i)) quoted.add(i);
    int n = quoted.size();
    books = quoted.stream().mapToInt(Integer::intValue).toArray();
    cumulativeWeight = new double[n];
    token = new long[n];
    tick = new long[n];
    lot = new long[n];
    bidP = new long[n][];
    bidS = new long[n][];
    askP = new long[n][];
    askS = new long[n][];
    updateId = new long[n];
    nextSnapshot = new long[n];
    double total = 0;
    for (int j = 0; j < n; j++) {
      SimInstrument s = prices.universe().get(books[j]);
      Instrument inst = s.instrument();
      total += s.weight();
      cumulativeWeight[j] = total;
      token[j] = inst.token();
      tick[j] = inst.tickSize();
      lot[j] = Math.max(1, inst.lotSize());
      updateId[j] = 1_000L * (1 + rng.nextInt(1_000));
    }
  }

  /** Messages emitted so far. */
  public long messages() {
    return messages;
  }

  /**
   * Emits to {@code sink} what is due at {@code nowNanos} (epoch nanos; the k-th message of a call is stamped
   * {@code nowNanos + k}, so every message has its own instant): on the first
   * call a snapshot of every book, then the updates the rate asks for since the last call and the periodic snapshots.
   * Returns how many.
   */
  public int poll(long nowNanos, Consumer<DepthMessage> sink) {
    int count = 0;
    int n = books.length;
    if (n == 0) return 0;
    if (lastPoll == Long.MIN_VALUE) {
      for (int j = 0; j < n; j++) {
        rebuild(j, true);
        sink.accept(snapshot(j, nowNanos + count));
        count++;
        // staggered, so the snapshots do not all come at once
        nextSnapshot[j] = nowNanos + snapshotIntervalNanos * (j + 1) / n;
      }
      lastPoll = nowNanos;
      messages += count;
      return count;
    }
    for (int j = 0; j < n; j++) {
      if (nowNanos >= nextSnapshot[j]) {
        rebuild(j, false);
        sink.accept(snapshot(j, nowNanos + count));
        count++;
        nextSnapshot[j] = nowNanos + snapshotIntervalNanos;
      }
    }
    due += (nowNanos - lastPoll) * updatesPerSecond / 1e9;
    lastPoll = nowNanos;
    // at most one second's worth per poll: a source that fell behind does not flood
    int updates = (int) Math.min(due, Math.max(1, updatesPerSecond));
    due -= updates;
    if (due > updatesPerSecond) due = 0;
    for (int k = 0; k < updates; k++) {
      int j = pick();
      DepthMessage m = update(j, nowNanos + count);
      sink.accept(m);
      count++;
    }
    messages += count;
    return count;
  }

  private int pick() {
    double x = rng.nextDouble() * cumulativeWeight[cumulativeWeight.length - 1];
    int lo = 0;
    int hi = cumulativeWeight.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulativeWeight[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private DepthMessage snapshot(int j, long now) {
    return DepthMessage.l2Snapshot(token[j], now, now, updateId[j], bidP[j].clone(), bidS[j].clone(), askP[j].clone(), askS[j].clone());
  }

  /** The book's levels re-centred on the last trade price, sizes kept where the price stays, a few sizes moved. */
  private void rebuild(int j, boolean fresh) {
    long t = tick[j];
    long p = prices.price(books[j]);
    long bestBid = Math.max(t, p - t * rng.nextInt(2));
    long bestAsk = bestBid + t * (1 + rng.nextInt(2));
    long[] nbP = new long[levels];
    long[] nbS = new long[levels];
    long[] naP = new long[levels];
    long[] naS = new long[levels];
    int nb = 0;
    for (int k = 0; k < levels; k++) {
      long price = bestBid - k * t;
      if (price <= 0) break;
      nbP[nb] = price;
      long old = fresh ? 0 : sizeAt(bidP[j], bidS[j], price);
      nbS[nb++] = old > 0 ? old : size(j, k);
    }
    for (int k = 0; k < levels; k++) {
      naP[k] = bestAsk + k * t;
      long old = fresh ? 0 : sizeAt(askP[j], askS[j], naP[k]);
      naS[k] = old > 0 ? old : size(j, k);
    }
    // a few sizes move, mostly near the touch
    int moves = 1 + rng.nextInt(3);
    for (int m = 0; m < moves; m++) {
      int k = Math.min(levels - 1, rng.nextInt(1 + rng.nextInt(levels)));
      if (rng.nextBoolean()) {
        if (k < nb) nbS[k] = size(j, k);
      } else {
        naS[k] = size(j, k);
      }
    }
    bidP[j] = java.util.Arrays.copyOf(nbP, nb);
    bidS[j] = java.util.Arrays.copyOf(nbS, nb);
    askP[j] = naP;
    askS[j] = naS;
  }

  private long size(int j, int depth) {
    return lot[j] * (1 + rng.nextInt(20) + depth * rng.nextInt(1 + 5 * depth + 1));
  }

  private static long sizeAt(long[] p, long[] s, long price) {
    for (int i = 0; i < p.length; i++) if (p[i] == price) return s[i];
    return 0;
  }

  private DepthMessage update(int j, long now) {
    long[] oldBP = bidP[j];
    long[] oldBS = bidS[j];
    long[] oldAP = askP[j];
    long[] oldAS = askS[j];
    rebuild(j, false);
    long[][] bids = diff(oldBP, oldBS, bidP[j], bidS[j]);
    long[][] asks = diff(oldAP, oldAS, askP[j], askS[j]);
    long id = ++updateId[j];
    return DepthMessage.l2Update(token[j], now, now, id, id, id - 1, bids[0], bids[1], asks[0], asks[1]);
  }

  /** The levels to send: removed ones with size 0, new or changed ones with their size. */
  private static long[][] diff(long[] oldP, long[] oldS, long[] newP, long[] newS) {
    long[] p = new long[oldP.length + newP.length];
    long[] s = new long[p.length];
    int n = 0;
    for (int i = 0; i < oldP.length; i++) {
      if (sizeAt(newP, newS, oldP[i]) == 0) {
        p[n] = oldP[i];
        s[n++] = 0;
      }
    }
    for (int i = 0; i < newP.length; i++) {
      if (sizeAt(oldP, oldS, newP[i]) != newS[i]) {
        p[n] = newP[i];
        s[n++] = newS[i];
      }
    }
    return new long[][] {java.util.Arrays.copyOf(p, n), java.util.Arrays.copyOf(s, n)};
  }
}
