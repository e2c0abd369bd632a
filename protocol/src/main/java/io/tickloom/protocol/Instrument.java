package io.tickloom.protocol;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A tradable or reference instrument (SPEC §3). Prices are fixed-point with {@code priceScale} decimals,
 * quantities with {@code qtyScale}; {@code tickSize} and {@code strike} are in price units, {@code lotSize}
 * in quantity units.
 *
 * @param underlying for derivatives the underlying's symbol (e.g. {@code NIFTY}), else null
 * @param expiry for derivatives, else null
 * @param strike for options (fixed-point price), else 0
 * @param optionType for options, else null
 */
public record Instrument(
    long token,
    Exchange exchange,
    String symbol,
    InstrumentKind kind,
    long tickSize,
    long lotSize,
    int priceScale,
    int qtyScale,
    String underlying,
    LocalDate expiry,
    long strike,
    OptionType optionType)
    implements CborSerializable {

  public Instrument {
    Objects.requireNonNull(exchange, "exchange");
    Objects.requireNonNull(symbol, "symbol");
    Objects.requireNonNull(kind, "kind");
    if (priceScale < 0 || priceScale > 12) throw new IllegalArgumentException("priceScale out of range: " + priceScale);
    if (qtyScale < 0 || qtyScale > 12) throw new IllegalArgumentException("qtyScale out of range: " + qtyScale);
    if (tickSize <= 0) throw new IllegalArgumentException("tickSize must be positive: " + tickSize);
    if (lotSize <= 0) throw new IllegalArgumentException("lotSize must be positive: " + lotSize);
  }

  /** A cash instrument or index (no derivative fields). */
  public static Instrument cash(long token, Exchange exchange, String symbol, InstrumentKind kind, long tickSize, long lotSize, int priceScale, int qtyScale) {
    return new Instrument(token, exchange, symbol, kind, tickSize, lotSize, priceScale, qtyScale, null, null, 0, null);
  }

  /** {@code EXCHANGE:SYMBOL}, the human key of an instrument. */
  public String key() {
    return exchange.name() + ':' + symbol;
  }

  public String formatPrice(long price) {
    return Fixed.format(price, priceScale);
  }

  public String formatQty(long qty) {
    return Fixed.format(qty, qtyScale);
  }
}
