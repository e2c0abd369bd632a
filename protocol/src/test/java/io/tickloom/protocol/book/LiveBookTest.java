package io.tickloom.protocol.book;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Side;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LiveBookTest {
  private static final long T = 1_700_000_000_000_000_000L;

  private static long[] a(long... v) {
    return v;
  }

  private static DepthMessage snap(long ts, long id, long[] bp, long[] bs, long[] ap, long[] as) {
    return DepthMessage.l2Snapshot(7, ts, ts, id, bp, bs, ap, as);
  }

  private static DepthMessage upd(long ts, long first, long last, long[] bp, long[] bs, long[] ap, long[] as) {
    return DepthMessage.l2Update(7, ts, ts, first, last, 0, bp, bs, ap, as);
  }

  @Test
  void l2SnapshotThenContiguousUpdatesBuildTheBook() {
    LiveBook b = new LiveBook();
    assertNull(b.snapshot(5));
    assertEquals(BookResult.NOT_SYNCED, b.apply(upd(T, 1, 1, a(100), a(1), a(), a())));
    assertEquals(BookResult.OK, b.apply(snap(T + 1, 10, a(100, 99), a(5, 7), a(101, 102), a(3, 4))));
    assertEquals(BookResult.OK, b.apply(upd(T + 2, 11, 12, a(100), a(0), a(101), a(9))));
    BookSnapshot s = b.snapshot(5);
    assertArrayEquals(a(99), s.bidPrices());
    assertArrayEquals(a(7), s.bidSizes());
    assertArrayEquals(a(101, 102), s.askPrices());
    assertArrayEquals(a(9, 4), s.askSizes());
    assertEquals(2, s.spread());
    assertEquals(T + 2, b.clock());
    assertFalse(b.stale());
    assertEquals(LiveBook.Kind.L2, b.kind());
  }

  @Test
  void l2GapMakesTheBookStaleUntilTheNextSnapshot() {
    LiveBook b = new LiveBook();
    b.apply(snap(T, 10, a(100), a(5), a(101), a(3)));
    assertEquals(BookResult.OK, b.apply(upd(T + 1, 11, 11, a(100), a(6), a(), a())));
    assertEquals(BookResult.SEQUENCE_GAP, b.apply(upd(T + 2, 13, 13, a(100), a(1), a(), a())));
    assertTrue(b.stale());
    assertEquals(1, b.integrityEvents());
    assertEquals(BookResult.NOT_SYNCED, b.apply(upd(T + 3, 14, 14, a(100), a(2), a(), a())));
    assertEquals(6, b.snapshot(1).bidSizes()[0]);
    assertFalse(b.stateComplete());
    b.apply(snap(T + 4, 20, a(100), a(8), a(101), a(3)));
    assertFalse(b.stale());
    assertTrue(b.stateComplete());
  }

  @Test
  void crossedUpdateIsReportedAndStale() {
    LiveBook b = new LiveBook();
    b.apply(snap(T, 10, a(100), a(5), a(101), a(3)));
    assertEquals(BookResult.CROSSED, b.apply(upd(T + 1, 11, 11, a(102), a(1), a(), a())));
    assertTrue(b.stale());
    assertTrue(b.snapshot(1).stale());
  }

  @Test
  void l3CancelsOfOrdersFromBeforeTheFeedDrawOnTheSnapshotsLevels() {
    LiveBook b = new LiveBook();
    assertEquals(BookResult.OK, b.apply(DepthMessage.l3Snapshot(7, T, T, a(100), a(50), a(101), a(40))));
    assertEquals(BookResult.OK, b.apply(DepthMessage.order(7, T + 1, T + 1, DepthMessage.Type.L3_ADD, 1, Side.BUY, 100, 10)));
    // order 999 rested before the feed: its execution takes 30 off the anonymous 50 at 100
    assertEquals(BookResult.OK, b.apply(DepthMessage.order(7, T + 2, T + 2, DepthMessage.Type.L3_EXECUTE, 999, Side.BUY, 100, 30)));
    assertEquals(30, b.book().sizeAt(Side.BUY, 100));
    assertEquals(BookResult.OK, b.apply(DepthMessage.order(7, T + 3, T + 3, DepthMessage.Type.L3_DELETE, 998, Side.SELL, 101, 40)));
    assertEquals(0, b.book().levels(Side.SELL));
    assertEquals(BookResult.UNKNOWN_ORDER, b.apply(DepthMessage.order(7, T + 4, T + 4, DepthMessage.Type.L3_CANCEL, 997, Side.SELL, 105, 1)));
    assertTrue(b.stale());
  }

  /** Random L2 and L3 streams: a book restored from a state written at any step continues exactly as the original. */
  @Test
  void restoredStateContinuesExactlyAsTheBookThatWroteIt() {
    for (int seed = 0; seed < 20; seed++) {
      List<DepthMessage> msgs = seed % 2 == 0 ? randomL2(new SplittableRandom(seed), 2_000) : randomL3(new SplittableRandom(seed), 2_000);
      LiveBook live = new LiveBook();
      List<byte[]> states = new ArrayList<>();
      List<Integer> at = new ArrayList<>();
      for (int i = 0; i < msgs.size(); i++) {
        live.apply(msgs.get(i));
        if (i % 97 == 0 && live.stateComplete()) {
          states.add(live.writeState());
          at.add(i);
        }
      }
      assertTrue(states.size() > 5, "seed " + seed + ": too few complete states");
      for (int k = 0; k < states.size(); k++) {
        LiveBook restored = LiveBook.readState(states.get(k));
        for (int i = at.get(k) + 1; i < msgs.size(); i++) restored.apply(msgs.get(i));
        assertEquals(live.snapshot(1000), restored.snapshot(1000), "seed " + seed + " from state " + k);
        assertEquals(live.clock(), restored.clock());
      }
    }
  }

  @Test
  void restoredLiveL2BookKeepsItsSyncState() {
    LiveBook live = new LiveBook();
    live.apply(snap(T, 10, a(100), a(5), a(101), a(3)));
    live.apply(upd(T + 1, 11, 12, a(100), a(6), a(), a()));
    LiveBook restored = LiveBook.readState(live.writeState());
    DepthMessage overlapping = upd(T + 2, 12, 13, a(100), a(7), a(), a()); // straddles, but does not continue 12
    assertEquals(BookResult.SEQUENCE_GAP, live.apply(overlapping));
    assertEquals(BookResult.SEQUENCE_GAP, restored.apply(overlapping));
    assertEquals(live.snapshot(5), restored.snapshot(5));
  }

  @Test
  void messagesSurviveTheirBinaryEncoding() {
    for (DepthMessage m : randomL2(new SplittableRandom(3), 200)) roundTrip(m);
    for (DepthMessage m : randomL3(new SplittableRandom(4), 200)) roundTrip(m);
  }

  private static void roundTrip(DepthMessage m) {
    DepthMessage d = LiveBook.decode(m.token(), LiveBook.encode(m));
    assertEquals(m.type(), d.type());
    assertEquals(m.exchangeTs(), d.exchangeTs());
    assertEquals(m.receiveTs(), d.receiveTs());
    assertEquals(m.firstId(), d.firstId());
    assertEquals(m.finalId(), d.finalId());
    assertEquals(m.orderId(), d.orderId());
    assertEquals(m.side(), d.side());
    assertEquals(m.price(), d.price());
    assertEquals(m.size(), d.size());
    assertArrayEquals(m.bidPrices(), d.bidPrices());
    assertArrayEquals(m.bidSizes(), d.bidSizes());
    assertArrayEquals(m.askPrices(), d.askPrices());
    assertArrayEquals(m.askSizes(), d.askSizes());
  }

  /** Snapshots, contiguous updates, occasional gaps and crossing levels. */
  static List<DepthMessage> randomL2(SplittableRandom r, int n) {
    List<DepthMessage> out = new ArrayList<>();
    long id = 100;
    for (int i = 0; i < n; i++) {
      long ts = T + i;
      if (i == 0 || r.nextInt(80) == 0) {
        id += 1 + r.nextInt(3);
        out.add(snap(ts, id, a(1000, 999, 998), a(5, 6, 7), a(1001, 1002, 1003), a(5, 6, 7)));
        continue;
      }
      int kind = r.nextInt(400);
      long first = kind == 0 ? id + 2 : kind == 1 ? id : id + 1; // a skip, an overlap, or contiguous
      long last = first + r.nextInt(3);
      id = last;
      int nb = r.nextInt(3);
      int na = r.nextInt(3);
      long[] bp = new long[nb], bs = new long[nb], ap = new long[na], as = new long[na];
      for (int k = 0; k < nb; k++) {
        bp[k] = 990 + r.nextInt(r.nextInt(200) == 0 ? 15 : 11);
        bs[k] = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(50);
      }
      for (int k = 0; k < na; k++) {
        ap[k] = 1001 + r.nextInt(10);
        as[k] = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(50);
      }
      out.add(upd(ts, first, last, bp, bs, ap, as));
    }
    return out;
  }

  /** A snapshot of anonymous levels, then adds, cancels, executions and deletes of own and earlier orders. */
  static List<DepthMessage> randomL3(SplittableRandom r, int n) {
    List<DepthMessage> out = new ArrayList<>();
    out.add(DepthMessage.l3Snapshot(7, T, T, a(1000, 999), a(5000, 500), a(1001, 1002), a(5000, 500)));
    List<long[]> live = new ArrayList<>(); // id, side(1 bid), price, size
    long nextId = 1;
    for (int i = 1; i < n; i++) {
      long ts = T + i;
      int op = r.nextInt(10);
      if (op < 4 || live.isEmpty()) {
        boolean bid = r.nextBoolean();
        long price = bid ? 995 + r.nextInt(6) : 1001 + r.nextInt(6);
        long size = 1 + r.nextInt(20);
        live.add(new long[] {nextId, bid ? 1 : 0, price, size});
        out.add(DepthMessage.order(7, ts, ts, DepthMessage.Type.L3_ADD, nextId++, bid ? Side.BUY : Side.SELL, price, size));
      } else if (op < 6) {
        boolean bid = r.nextBoolean();
        out.add(DepthMessage.order(7, ts, ts, DepthMessage.Type.L3_EXECUTE, 1_000_000 + i, bid ? Side.BUY : Side.SELL,
            bid ? 1000 : 1001, 1 + r.nextInt(5)));
      } else {
        long[] o = live.get(r.nextInt(live.size()));
        DepthMessage.Type t = op == 9 ? DepthMessage.Type.L3_DELETE : op == 8 ? DepthMessage.Type.L3_EXECUTE : DepthMessage.Type.L3_CANCEL;
        long size = t == DepthMessage.Type.L3_DELETE ? o[3] : Math.min(o[3], 1 + r.nextInt(5));
        out.add(DepthMessage.order(7, ts, ts, t, o[0], o[1] == 1 ? Side.BUY : Side.SELL, o[2], size));
        o[3] -= size;
        if (o[3] == 0) live.remove(o);
      }
    }
    return out;
  }
}
