package io.tickloom.protocol;

/** What a bar builder emits for an interval without trades (SPEC §4). */
public enum EmptyBarPolicy {
  /** No bar for an interval without trades (NSE/BSE/NFO default). */
  SKIP,
  /** A flat bar at the previous close with zero volume and trades (Binance kline convention). */
  CARRY;

  public static EmptyBarPolicy parse(String s) {
    return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "skip" -> SKIP;
      case "carry" -> CARRY;
      default -> throw new IllegalArgumentException("empty-bar policy must be skip or carry, got '" + s + "'");
    };
  }
}
