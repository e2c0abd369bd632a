package io.tickloom.protocol.format;

/**
 * Decimal places of an instrument's fixed-point prices and quantities (see {@link io.tickloom.protocol.Fixed}).
 */
public record Scales(int priceScale, int qtyScale) {
  public Scales {
    if (priceScale < 0 || priceScale > 18) throw new IllegalArgumentException("priceScale out of range: " + priceScale);
    if (qtyScale < 0 || qtyScale > 18) throw new IllegalArgumentException("qtyScale out of range: " + qtyScale);
  }

  /** 8 and 8: Binance spot prices and quantities, and the offline default where no instrument master is known. */
  public static final Scales BINANCE_SPOT = new Scales(8, 8);
}
