package io.tickloom.protocol.format.kite;

import java.util.List;
import java.util.Objects;

/**
 * One decoded Kite WebSocket ticker packet, field for field, without interpretation. Prices (last, average, OHLC,
 * depth) are fixed-point integers with {@code priceScale} decimals exactly as sent (paise for NSE/BSE/NFO/BFO: scale
 * 2; CDS scale 7; BCD scale 4); quantities are plain counts; times are epoch seconds, 0 when the packet has none.
 * Fields a packet's layout does not carry are 0 (lists empty). Index packets (segment 9) carry last price, OHLC and,
 * in full mode, the exchange timestamp only. Kite's {@code change} field is not kept (derive it from last and close).
 *
 * @param token Kite instrument token (unsigned 32-bit); its low byte is the segment
 * @param mode LTP for 8-byte packets, QUOTE for 44-byte (and 28-byte index) packets, FULL for 184-byte (and 32-byte
 *     index) packets
 * @param tradable false for the indices segment
 * @param bids best first; the decoder gives 5 levels (an empty level is all 0) for a 184-byte full packet (the layout
 *     follows the length, whatever the token's segment), else none
 * @param asks as {@code bids}
 */
public record KiteTick(
    long token,
    Mode mode,
    boolean tradable,
    int priceScale,
    long lastPrice,
    long lastQty,
    long avgPrice,
    long volume,
    long buyQty,
    long sellQty,
    long open,
    long high,
    long low,
    long close,
    long lastTradeTime,
    long oi,
    long oiDayHigh,
    long oiDayLow,
    long exchangeTimestamp,
    List<KiteDepth> bids,
    List<KiteDepth> asks) {

  /** Subscription mode of a packet; {@link #wire()} is the name in Kite's {@code mode} message. */
  public enum Mode {
    LTP, QUOTE, FULL;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public KiteTick {
    if (token < 0 || token > 0xFFFF_FFFFL) throw new IllegalArgumentException("token out of the unsigned 32-bit range: " + token);
    Objects.requireNonNull(mode, "mode");
    if (priceScale < 0 || priceScale > 18) throw new IllegalArgumentException("priceScale out of range: " + priceScale);
    bids = bids == null ? List.of() : List.copyOf(bids);
    asks = asks == null ? List.of() : List.copyOf(asks);
  }

  /** An LTP-mode tick: token and last price only. */
  public static KiteTick ltp(long token, long lastPrice) {
    return new KiteTick(token, Mode.LTP, KiteTicker.isTradable(token), KiteTicker.priceScale(token), lastPrice,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of());
  }

  /** Kite segment of the token (its low byte): 1 NSE, 2 NFO, 3 CDS, 4 BSE, 5 BFO, 6 BCD, 7 MCX, 9 indices. */
  public int segment() {
    return KiteTicker.segment(token);
  }

  /** Best bid price when the depth has a non-empty first level, else 0. */
  public long bestBid() {
    return bids.isEmpty() ? 0 : bids.get(0).price();
  }

  /** Best ask price when the depth has a non-empty first level, else 0. */
  public long bestAsk() {
    return asks.isEmpty() ? 0 : asks.get(0).price();
  }
}
