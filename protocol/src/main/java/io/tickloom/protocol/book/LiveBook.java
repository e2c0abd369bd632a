package io.tickloom.protocol.book;

import io.tickloom.protocol.Side;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The book of one instrument as its entity keeps it: {@link DepthMessage}s in, an {@link L2Book} or {@link L3Book}
 * (chosen by the feed: the first snapshot or order message decides, a snapshot of the other family switches), and the
 * book clock. Plain Java, deterministic: applying the same messages to books in the same state gives the same state,
 * which is what time travel relies on (the node stores every message it applies and periodic {@link #writeState
 * states}; a book as of any instant is the nearest stored state plus the stored messages after it, applied here).
 *
 * <p><b>Rules.</b> L2: the {@link L2Book.SyncRule#SPOT} rule (snapshot + contiguous update ids; a gap leaves the book
 * waiting for the next snapshot, deltas meanwhile answer {@link BookResult#NOT_SYNCED} and are dropped: the feed
 * adapter buffers if it wants, and the feeds here send periodic snapshots). L3: {@link L3Book}, plus anonymous
 * liquidity: an {@link DepthMessage.Type#L3_SNAPSHOT} carries levels without order ids (LOBSTER's orderbook file), each
 * held as one synthetic order (negative id); a cancel, delete or execution of an order id the book does not hold
 * draws on the synthetic order at the message's side and price, if there is one (orders resting from before the feed
 * started); otherwise it is the kernel's {@link BookResult#UNKNOWN_ORDER}.
 *
 * <p><b>Clock.</b> {@link #clock()} is the greatest {@code exchangeTs} applied (monotone); it is the book's
 * timestamp and the time a stored message is filed under.
 *
 * <p><b>Integrity.</b> Violations are the kernels' ({@link BookResult#isViolation()}); {@link #stale()} is true
 * from one until the next snapshot (or, for L2, while no snapshot has arrived yet).
 *
 * <p>Allocation: none per message on the L2 path and for known orders; the unknown-order path looks up a boxed map.
 * Not thread-safe: one owner.
 */
public final class LiveBook {
  /** Which kernel holds the book. */
  public enum Kind { NONE, L2, L3 }

  private static final int STATE_VERSION = 1;
  private static final int INITIAL_LEVELS = 64;
  private static final int INITIAL_ORDERS = 4096;

  private Kind kind = Kind.NONE;
  private L2Book l2;
  private L3Book l3;
  private long clock = Long.MIN_VALUE;
  private long messages;
  private long integrityEvents;
  /** L3 anonymous liquidity: (price → synthetic order id) per side. */
  private final Map<Long, Long> anonymousBids = new HashMap<>();
  private final Map<Long, Long> anonymousAsks = new HashMap<>();
  private long nextSynthetic = -1;

  public Kind kind() {
    return kind;
  }

  /** The kernel holding the book, null before the first snapshot or order message. */
  public OrderBook book() {
    return kind == Kind.L2 ? l2 : kind == Kind.L3 ? l3 : null;
  }

  /** The greatest {@code exchangeTs} applied, {@link Long#MIN_VALUE} before any. */
  public long clock() {
    return clock;
  }

  /** Messages applied (whatever their result) since this book was created or restored. */
  public long messages() {
    return messages;
  }

  /** Integrity events since this book was created or restored. */
  public long integrityEvents() {
    return integrityEvents;
  }

  /** True after an integrity event until the next snapshot, and while an L2 book waits for its first snapshot. */
  public boolean stale() {
    OrderBook b = book();
    return b != null && b.needsSnapshot();
  }

  /** Applies {@code m} (any token: the owner checks); returns the first violation it met, else its kernel result. */
  public BookResult apply(DepthMessage m) {
    messages++;
    if (m.exchangeTs() > clock) clock = m.exchangeTs();
    BookResult r = switch (m.type()) {
      case L2_SNAPSHOT -> l2Snapshot(m);
      case L2_UPDATE -> l2Update(m);
      case L3_SNAPSHOT -> l3Snapshot(m);
      case L3_ADD -> l3().add(m.orderId(), m.side(), m.price(), m.size());
      case L3_CANCEL, L3_EXECUTE -> reduce(m);
      case L3_DELETE -> delete(m);
    };
    if (r.isViolation()) integrityEvents++;
    return r;
  }

  private BookResult l2Snapshot(DepthMessage m) {
    if (kind != Kind.L2) {
      l2 = new L2Book(L2Book.SyncRule.SPOT, INITIAL_LEVELS, BookIntegrityListener.IGNORE);
      l3 = null;
      kind = Kind.L2;
    }
    l2.beginSnapshot(m.finalId());
    BookResult r = setLevels(m);
    BookResult end = l2.endSnapshot();
    return r.isViolation() ? r : end;
  }

  private BookResult l2Update(DepthMessage m) {
    if (kind != Kind.L2) return BookResult.NOT_SYNCED;
    BookResult r = l2.beginDelta(m.firstId(), m.finalId(), m.previousId());
    if (r != BookResult.OK) return r;
    BookResult levels = setLevels(m);
    BookResult end = l2.endDelta();
    return levels.isViolation() ? levels : end;
  }

  private BookResult setLevels(DepthMessage m) {
    BookResult first = BookResult.OK;
    long[] p = m.bidPrices();
    long[] s = m.bidSizes();
    for (int i = 0; i < p.length; i++) {
      BookResult r = l2.set(Side.BUY, p[i], s[i]);
      if (r.isViolation() && !first.isViolation()) first = r;
    }
    p = m.askPrices();
    s = m.askSizes();
    for (int i = 0; i < p.length; i++) {
      BookResult r = l2.set(Side.SELL, p[i], s[i]);
      if (r.isViolation() && !first.isViolation()) first = r;
    }
    return first;
  }

  private L3Book l3() {
    if (kind != Kind.L3) {
      l3 = new L3Book(INITIAL_ORDERS, INITIAL_LEVELS, BookIntegrityListener.IGNORE);
      l2 = null;
      kind = Kind.L3;
      anonymousBids.clear();
      anonymousAsks.clear();
    }
    return l3;
  }

  private BookResult l3Snapshot(DepthMessage m) {
    L3Book b = l3();
    b.beginSnapshot();
    anonymousBids.clear();
    anonymousAsks.clear();
    BookResult first = BookResult.OK;
    first = anonymousLevels(b, Side.BUY, m.bidPrices(), m.bidSizes(), first);
    first = anonymousLevels(b, Side.SELL, m.askPrices(), m.askSizes(), first);
    BookResult end = b.endSnapshot();
    return first.isViolation() ? first : end;
  }

  private BookResult anonymousLevels(L3Book b, Side side, long[] prices, long[] sizes, BookResult first) {
    for (int i = 0; i < prices.length; i++) {
      if (sizes[i] == 0) continue;
      long id = nextSynthetic--;
      BookResult r = b.add(id, side, prices[i], sizes[i]);
      if (r == BookResult.OK) (side == Side.BUY ? anonymousBids : anonymousAsks).put(prices[i], id);
      else if (r.isViolation() && !first.isViolation()) first = r;
    }
    return first;
  }

  /** The order a cancel/delete/execute of {@code m} applies to: its own id, or the anonymous liquidity at its level. */
  private long target(DepthMessage m) {
    if (l3.hasOrder(m.orderId())) return m.orderId();
    Map<Long, Long> anon = m.side() == Side.BUY ? anonymousBids : anonymousAsks;
    if (anon.isEmpty()) return m.orderId();
    Long synthetic = anon.get(m.price());
    if (synthetic == null) return m.orderId();
    if (!l3.hasOrder(synthetic)) {
      anon.remove(m.price());
      return m.orderId();
    }
    return synthetic;
  }

  private BookResult reduce(DepthMessage m) {
    L3Book b = l3();
    long id = target(m);
    return m.type() == DepthMessage.Type.L3_CANCEL ? b.cancel(id, m.size()) : b.execute(id, m.size());
  }

  private BookResult delete(DepthMessage m) {
    L3Book b = l3();
    long id = target(m);
    if (id == m.orderId()) return b.delete(id);
    // An order from before the feed: take what the feed says it had off the anonymous liquidity (all of it at most).
    long size = Math.min(m.size() > 0 ? m.size() : Long.MAX_VALUE, b.orderSize(id));
    return b.cancel(id, size);
  }

  /** A copy of the top {@code levels} per side with the features; null before the first message of a family. */
  public BookSnapshot snapshot(int levels) {
    OrderBook b = book();
    return b == null ? null : b.snapshot(levels);
  }

  // --- state (the periodic snapshots of the book log) ---

  /**
   * Whether {@link #writeState} captures everything later messages depend on: a book that is not stale (no integrity event since its
   * snapshot; an L2 book's sync state, waiting for the first delta after its snapshot or live, is part of the state). The owner writes states only then; a stale book is reconstructed
   * from an earlier state plus the messages since, which replays the violation too.
   */
  public boolean stateComplete() {
    return !stale();
  }

  /** The book's state, versioned binary. Allocates (call it seldom: periodic snapshots). */
  public byte[] writeState() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(STATE_VERSION);
      out.writeByte(kind.ordinal());
      out.writeLong(clock);
      if (kind == Kind.L2) {
        out.writeLong(l2.lastUpdateId());
        out.writeBoolean(l2.synced());
        writeLevels(out, l2, Side.BUY);
        writeLevels(out, l2, Side.SELL);
      } else if (kind == Kind.L3) {
        out.writeLong(nextSynthetic);
        out.writeInt(l3.orderCount());
        IOException[] failure = {null};
        l3.forEachOrder((id, side, price, size) -> {
          try {
            out.writeLong(id);
            out.writeBoolean(side == Side.BUY);
            out.writeLong(price);
            out.writeLong(size);
          } catch (IOException e) {
            failure[0] = e;
          }
        });
        if (failure[0] != null) throw failure[0];
        writeAnonymous(out, anonymousBids);
        writeAnonymous(out, anonymousAsks);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e); // in memory: cannot happen
    }
    return bytes.toByteArray();
  }

  private static void writeLevels(DataOutputStream out, OrderBook b, Side side) throws IOException {
    int n = b.levels(side);
    out.writeInt(n);
    for (int i = 0; i < n; i++) {
      out.writeLong(b.price(side, i));
      out.writeLong(b.size(side, i));
    }
  }

  private static void writeAnonymous(DataOutputStream out, Map<Long, Long> anon) throws IOException {
    out.writeInt(anon.size());
    for (Map.Entry<Long, Long> e : anon.entrySet()) {
      out.writeLong(e.getKey());
      out.writeLong(e.getValue());
    }
  }

  /**
   * A book in the state {@code state} ({@link #writeState}) describes: equal levels, orders, sync state and clock, so
   * that the same messages applied to it and to the book that wrote it give equal books. Counters start at 0.
   *
   * @throws IllegalArgumentException when {@code state} is not such a state
   */
  public static LiveBook readState(byte[] state) {
    LiveBook b = new LiveBook();
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
      int version = in.readInt();
      if (version != STATE_VERSION) throw new IllegalArgumentException("book state version " + version + ", this node reads " + STATE_VERSION);
      int k = in.readByte();
      if (k < 0 || k >= Kind.values().length) throw new IllegalArgumentException("book kind " + k);
      b.clock = in.readLong();
      Kind kind = Kind.values()[k];
      if (kind == Kind.L2) {
        b.kind = Kind.L2;
        b.l2 = new L2Book(L2Book.SyncRule.SPOT, INITIAL_LEVELS, BookIntegrityListener.IGNORE);
        long lastUpdateId = in.readLong();
        boolean synced = in.readBoolean();
        b.l2.beginSnapshot(lastUpdateId);
        readLevels(in, b.l2, Side.BUY);
        readLevels(in, b.l2, Side.SELL);
        if (synced) b.l2.markSynced();
      } else if (kind == Kind.L3) {
        L3Book l3 = b.l3();
        b.nextSynthetic = in.readLong();
        int n = in.readInt();
        l3.beginSnapshot();
        for (int i = 0; i < n; i++) {
          long id = in.readLong();
          Side side = in.readBoolean() ? Side.BUY : Side.SELL;
          l3.add(id, side, in.readLong(), in.readLong());
        }
        readAnonymous(in, b.anonymousBids);
        readAnonymous(in, b.anonymousAsks);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not a book state: " + e.getMessage(), e);
    }
    return b;
  }

  private static void readLevels(DataInputStream in, L2Book b, Side side) throws IOException {
    int n = in.readInt();
    for (int i = 0; i < n; i++) b.set(side, in.readLong(), in.readLong());
  }

  private static void readAnonymous(DataInputStream in, Map<Long, Long> anon) throws IOException {
    int n = in.readInt();
    for (int i = 0; i < n; i++) anon.put(in.readLong(), in.readLong());
  }

  // --- message codec (the events of the book log) ---

  /** {@code m} without its token, versioned binary (the book log's event payload). Allocates. */
  public static byte[] encode(DepthMessage m) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 16 * m.levelCount());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(m.type().ordinal());
      out.writeLong(m.exchangeTs());
      out.writeLong(m.receiveTs());
      if (m.type().isL2() || m.type() == DepthMessage.Type.L3_SNAPSHOT) {
        out.writeLong(m.firstId());
        out.writeLong(m.finalId());
        out.writeLong(m.previousId());
        writeArrays(out, m.bidPrices(), m.bidSizes());
        writeArrays(out, m.askPrices(), m.askSizes());
      } else {
        out.writeLong(m.orderId());
        out.writeBoolean(m.side() == Side.BUY);
        out.writeLong(m.price());
        out.writeLong(m.size());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return bytes.toByteArray();
  }

  /** The message {@link #encode} wrote, for {@code token}. */
  public static DepthMessage decode(long token, byte[] payload) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
      DepthMessage.Type type = DepthMessage.Type.of(in.readByte());
      long exchangeTs = in.readLong();
      long receiveTs = in.readLong();
      if (type.isL2() || type == DepthMessage.Type.L3_SNAPSHOT) {
        long first = in.readLong();
        long fin = in.readLong();
        long prev = in.readLong();
        long[][] bids = readArrays(in);
        long[][] asks = readArrays(in);
        return new DepthMessage(token, exchangeTs, receiveTs, type, first, fin, prev, 0, null, 0, 0, bids[0], bids[1], asks[0], asks[1]);
      }
      long id = in.readLong();
      Side side = in.readBoolean() ? Side.BUY : Side.SELL;
      return DepthMessage.order(token, exchangeTs, receiveTs, type, id, side, in.readLong(), in.readLong());
    } catch (IOException e) {
      throw new IllegalArgumentException("not a depth message: " + e.getMessage(), e);
    }
  }

  private static void writeArrays(DataOutputStream out, long[] prices, long[] sizes) throws IOException {
    out.writeInt(prices.length);
    for (int i = 0; i < prices.length; i++) {
      out.writeLong(prices[i]);
      out.writeLong(sizes[i]);
    }
  }

  private static long[][] readArrays(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 1_000_000) throw new IOException("level count " + n);
    long[] p = new long[n];
    long[] s = new long[n];
    for (int i = 0; i < n; i++) {
      p[i] = in.readLong();
      s[i] = in.readLong();
    }
    return new long[][] {p, s};
  }
}
