package io.tickloom.protocol;

/**
 * One trade print of one instrument (SPEC §3). Immutable; prices and quantities fixed-point at the
 * instrument's scales; times in epoch nanoseconds.
 *
 * @param tradeId exchange trade id or {@link #NO_TRADE_ID}
 * @param seq per-instrument sequence number, feed-independent (the same trade has the same seq on every feed), or
 *     {@link #NO_SEQ} for feeds without sequence numbers (snapshot feeds such as Kite): such a tick is deduplicated
 *     by its trade id and skips gap detection
 * @param side aggressor side or null when unknown
 * @param bid best bid at the time or {@link #NO_PRICE}
 * @param ask best ask at the time or {@link #NO_PRICE}
 * @param status LIVE, or STALE when received while a sequence gap was open
 */
public record Tick(
    long token,
    long exchangeTs,
    long receiveTs,
    long price,
    long qty,
    long tradeId,
    long seq,
    Feed feed,
    Side side,
    long bid,
    long ask,
    TickStatus status)
    implements CborSerializable {

  public static final long NO_TRADE_ID = -1L;
  public static final long NO_PRICE = Long.MIN_VALUE;
  /** The feed has no sequence numbers for this instrument; the tick must carry a trade id. */
  public static final long NO_SEQ = -1L;

  /** A tick with no trade id, side or quote, status LIVE. */
  public static Tick of(long token, long exchangeTs, long receiveTs, long price, long qty, long seq, Feed feed) {
    return new Tick(token, exchangeTs, receiveTs, price, qty, NO_TRADE_ID, seq, feed, null, NO_PRICE, NO_PRICE, TickStatus.LIVE);
  }

  public boolean hasTradeId() {
    return tradeId != NO_TRADE_ID;
  }

  public boolean hasSeq() {
    return seq != NO_SEQ;
  }

  /** Order among ticks of one exchange timestamp: the seq, or the trade id for unsequenced feeds. */
  public long orderKey() {
    return seq != NO_SEQ ? seq : tradeId;
  }

  /** The dedupe key of SPEC §4: the trade id when present, else the feed-independent seq. */
  public long dedupeKey() {
    return tradeId != NO_TRADE_ID ? tradeId : seq;
  }

  public Tick withStatus(TickStatus s) {
    return s == status ? this : new Tick(token, exchangeTs, receiveTs, price, qty, tradeId, seq, feed, side, bid, ask, s);
  }

  public Tick withToken(long t) {
    return new Tick(t, exchangeTs, receiveTs, price, qty, tradeId, seq, feed, side, bid, ask, status);
  }

  public Tick withFeed(Feed f) {
    return f == feed ? this : new Tick(token, exchangeTs, receiveTs, price, qty, tradeId, seq, f, side, bid, ask, status);
  }

  public Tick withReceiveTs(long r) {
    return new Tick(token, exchangeTs, r, price, qty, tradeId, seq, feed, side, bid, ask, status);
  }
}
