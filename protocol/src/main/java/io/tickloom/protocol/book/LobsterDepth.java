package io.tickloom.protocol.book;

import io.tickloom.protocol.Side;
import io.tickloom.protocol.format.LobsterMessages;
import io.tickloom.protocol.format.LobsterOrderbook;

/**
 * LOBSTER as an order-level depth feed ({@code tickloom import --format lobster}): the current row of a
 * {@link LobsterMessages} reader as a {@link DepthMessage}, and a row of the matching orderbook file as an
 * {@link DepthMessage.Type#L3_SNAPSHOT} of anonymous levels. Prices stay LOBSTER's (dollars × 10,000, i.e. price scale
 * 4), sizes are shares (quantity scale 0); {@code midnight} (epoch nanos of the day's midnight in New York) turns
 * LOBSTER's seconds after midnight into timestamps.
 *
 * <p>{@link Feed} turns a whole message file (with or without its orderbook file) into the stream an importer sends.
 *
 * <p>Types 1 submit, 2 partial cancel, 3 delete, 4 visible execution become {@code L3_ADD}, {@code L3_CANCEL},
 * {@code L3_DELETE}, {@code L3_EXECUTE} with the message's order id, side, price and size; types 5 (hidden execution),
 * 6 (cross) and 7 (halt) change no visible level and give null (an importer may still turn 4 and 5 into trades).
 */
public final class LobsterDepth {
  private LobsterDepth() {}

  /** The book message of the reader's current row, or null for rows that change no visible level. */
  public static DepthMessage message(LobsterMessages m, long token, long midnight, long receiveTs) {
    DepthMessage.Type type = switch (m.type()) {
      case LobsterMessages.SUBMIT -> DepthMessage.Type.L3_ADD;
      case LobsterMessages.CANCEL -> DepthMessage.Type.L3_CANCEL;
      case LobsterMessages.DELETE -> DepthMessage.Type.L3_DELETE;
      case LobsterMessages.EXECUTE_VISIBLE -> DepthMessage.Type.L3_EXECUTE;
      default -> null;
    };
    if (type == null) return null;
    long ts = midnight + m.timeNanos();
    return DepthMessage.order(token, ts, receiveTs, type, m.orderId(), m.side(), m.price(), m.size());
  }

  /** The orderbook row as an L3 snapshot of anonymous levels (empty levels left out). */
  public static DepthMessage snapshot(LobsterOrderbook row, long token, long ts, long receiveTs) {
    int nb = row.bidLevels();
    int na = row.askLevels();
    long[] bp = new long[nb];
    long[] bs = new long[nb];
    long[] ap = new long[na];
    long[] as = new long[na];
    for (int i = 0; i < nb; i++) {
      bp[i] = row.bidPrice(i);
      bs[i] = row.bidSize(i);
    }
    for (int i = 0; i < na; i++) {
      ap[i] = row.askPrice(i);
      as[i] = row.askSize(i);
    }
    return DepthMessage.l3Snapshot(token, ts, receiveTs, bp, bs, ap, as);
  }

  /**
   * A LOBSTER message file as an order-level feed, row by row. Without an orderbook file it is the plain conversion
   * ({@link #message}); a level-N sample then starts from an empty book and its orders from before the file give
   * integrity events. With the orderbook file it is a feed that resyncs: row 1 is sent as an
   * {@link DepthMessage.Type#L3_SNAPSHOT} (it is the state after message 1, which is not sent), and a mirror
   * {@link LiveBook} (the entity's code) follows what was sent; whenever a message would be an integrity event in it, or
   * its top N levels per side differ from the orderbook row after the message (liquidity the level-N file never showed
   * entering the window), the row is sent as a snapshot instead of or after the message. So a book fed this stream
   * equals LOBSTER's orderbook file in its top N levels after every row, with no integrity event, and the snapshots
   * it needed are counted ({@link #resyncs()}).
   */
  public static final class Feed {
    private final LobsterMessages messages;
    private final LobsterOrderbook orderbook;
    private final long token;
    private final long midnight;
    private final LiveBook mirror = new LiveBook();
    private long rows;
    private long resyncs;

    /** @param orderbook the matching orderbook file, or null */
    public Feed(LobsterMessages messages, LobsterOrderbook orderbook, long token, long midnight) {
      this.messages = messages;
      this.orderbook = orderbook;
      this.token = token;
      this.midnight = midnight;
    }

    /**
     * Reads the next row and adds what to send for it to {@code out} (nothing, the message, a snapshot, or both).
     *
     * @return false at the end of the message file
     * @throws io.tickloom.protocol.format.FormatException for a malformed row of either file, or an orderbook file that
     *     ends before the message file
     */
    public boolean next(java.util.List<DepthMessage> out, long receiveTs) {
      boolean more;
      try {
        more = messages.next();
      } catch (io.tickloom.protocol.format.FormatException e) {
        // the orderbook file stays in step with the message file: its row of the bad message is skipped too
        rows++;
        if (orderbook != null) orderbook.next();
        throw e;
      }
      if (!more) return false;
      rows++;
      long ts = midnight + messages.timeNanos();
      if (orderbook != null && !orderbook.next()) {
        throw new io.tickloom.protocol.format.FormatException("orderbook file", rows, "has fewer rows than the message file (" + (rows - 1) + ")");
      }
      if (orderbook != null && rows == 1) {
        DepthMessage s = snapshot(orderbook, token, ts, receiveTs);
        mirror.apply(s);
        out.add(s);
        return true;
      }
      DepthMessage d = message(messages, token, midnight, receiveTs);
      BookResult r = d == null ? BookResult.OK : mirror.apply(d);
      if (orderbook == null) {
        if (d != null) out.add(d);
        return true;
      }
      if (d != null && !r.isViolation()) out.add(d);
      if (r.isViolation() || !topEquals(mirror.book(), orderbook)) {
        DepthMessage s = snapshot(orderbook, token, ts, receiveTs);
        mirror.apply(s);
        out.add(s);
        resyncs++;
      }
      return true;
    }

    /** The reader (its current row: time, type, id, size, price, side), e.g. to turn executions into trades. */
    public LobsterMessages row() {
      return messages;
    }

    /** Rows read so far. */
    public long rows() {
      return rows;
    }

    /** Snapshots sent after row 1 to follow the orderbook file. */
    public long resyncs() {
      return resyncs;
    }

    private static boolean topEquals(OrderBook b, LobsterOrderbook row) {
      int n = row.levels();
      return sideEquals(b, Side.BUY, row.bidLevels(), n, row, true) && sideEquals(b, Side.SELL, row.askLevels(), n, row, false);
    }

    private static boolean sideEquals(OrderBook b, Side side, int rowLevels, int n, LobsterOrderbook row, boolean bid) {
      int ours = Math.min(b.levels(side), n);
      if (ours != rowLevels) return false;
      for (int i = 0; i < ours; i++) {
        long p = bid ? row.bidPrice(i) : row.askPrice(i);
        long s = bid ? row.bidSize(i) : row.askSize(i);
        if (b.price(side, i) != p || b.size(side, i) != s) return false;
      }
      return true;
    }
  }

  /** The aggressor of an execution of a resting order on {@code restingSide}: the other side. */
  public static Side aggressor(Side restingSide) {
    return restingSide == Side.BUY ? Side.SELL : Side.BUY;
  }
}
