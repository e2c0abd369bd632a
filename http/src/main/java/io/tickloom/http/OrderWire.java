package io.tickloom.http;

import io.tickloom.persistence.OrderRow;
import io.tickloom.persistence.Position;
import io.tickloom.protocol.Fixed;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Timestamps;
import java.math.BigDecimal;
import java.util.OptionalLong;

/**
 * Wire records of the OMS read side: items of {@code GET /api/v1/orders} (the order view of SPEC §5 plus
 * {@code createdAt} and {@code reason}) and of {@code GET /api/v1/positions}. Built from the read rows, never from
 * journaled events. Prices and quantities at the instrument's scales; money (P&L) exact at the price scale, with more
 * decimals only where a fractional quantity makes them real ({@link #money}).
 */
final class OrderWire {
  private OrderWire() {}

  /** An order of the history (read side). {@code price} absent for MARKET/SL_M, {@code avgPrice} before the first fill. */
  record OrderItem(String orderId, String clientOrderId, String account, long token, String side, BigDecimal qty,
      BigDecimal filledQty, BigDecimal avgPrice, String type, BigDecimal price, String tif, String status, String reason,
      String createdAt, String updatedAt) {

    static OrderItem from(OrderRow r, Instrument in) {
      int ps = in == null ? 0 : in.priceScale();
      int qs = in == null ? 0 : in.qtyScale();
      boolean priced = io.tickloom.cluster.oms.OrderType.valueOf(r.type()).priced();
      return new OrderItem(r.orderId(), r.clientOrderId(), r.account(), r.token(), r.side().name(), Fixed.toBigDecimal(r.qty(), qs),
          Fixed.toBigDecimal(r.filledQty(), qs), r.filledQty() == 0 ? null : Fixed.toBigDecimal(r.avgPrice(), ps), r.type(),
          priced ? Fixed.toBigDecimal(r.price(), ps) : null, r.tif(), r.status(), r.reason(), Timestamps.format(r.createdAt()),
          Timestamps.format(r.updatedAt()));
    }
  }

  /** One trade applied to an order (the read side's {@code fills}), at the instrument's scales. */
  record FillItem(String orderId, String tradeId, String account, long token, String symbol, String side, BigDecimal qty, BigDecimal price,
      String time) {

    static FillItem from(io.tickloom.persistence.FillRow f, Instrument in) {
      int ps = in == null ? 0 : in.priceScale();
      int qs = in == null ? 0 : in.qtyScale();
      return new FillItem(f.orderId(), f.tradeId(), f.account(), f.token(), in == null ? null : in.symbol(), f.side().name(),
          Fixed.toBigDecimal(f.qty(), qs), Fixed.toBigDecimal(f.price(), ps), Timestamps.format(f.tsEvent()));
    }
  }

  /**
   * A net position: {@code netQty} signed (negative = short), {@code avgPrice} its average cost (absent when flat),
   * {@code realizedPnl}, and against {@code lastPrice} (the instrument's last trade; absent when none is known)
   * {@code unrealizedPnl}.
   */
  record PositionItem(String account, long token, String symbol, BigDecimal netQty, BigDecimal avgPrice, BigDecimal realizedPnl,
      BigDecimal unrealizedPnl, BigDecimal lastPrice, BigDecimal boughtQty, BigDecimal soldQty, String updatedAt) {

    static PositionItem from(Position p, Instrument in, OptionalLong last) {
      int ps = in == null ? 0 : in.priceScale();
      int qs = in == null ? 0 : in.qtyScale();
      return new PositionItem(p.account(), p.token(), in == null ? null : in.symbol(), Fixed.toBigDecimal(p.netQty(), qs),
          p.netQty() == 0 ? null : Fixed.toBigDecimal(p.avgPrice(), ps), money(p.realizedPnl(), ps, qs),
          last.isPresent() ? money(p.unrealizedPnl(last.getAsLong()), ps, qs) : null,
          last.isPresent() ? Fixed.toBigDecimal(last.getAsLong(), ps) : null, Fixed.toBigDecimal(p.boughtQty(), qs),
          Fixed.toBigDecimal(p.soldQty(), qs), Timestamps.format(p.updatedAt()));
    }
  }

  /**
   * An amount in units of price x qty ({@code priceScale + qtyScale} decimals) as an exact decimal with the price
   * scale's decimals, plus the further ones that are not zero ({@code 12.50}, {@code 0.0012345} for a fractional qty).
   */
  static BigDecimal money(long raw, int priceScale, int qtyScale) {
    return money(java.math.BigInteger.valueOf(raw), priceScale, qtyScale);
  }

  static BigDecimal money(java.math.BigInteger raw, int priceScale, int qtyScale) {
    BigDecimal exact = new BigDecimal(raw, priceScale + qtyScale).stripTrailingZeros();
    return exact.scale() < priceScale ? exact.setScale(priceScale) : exact;
  }
}
