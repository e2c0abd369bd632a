package io.tickloom.protocol;

/** Aggressor side of a trade, or order side. */
public enum Side {
  BUY, SELL;

  public static Side parse(String s) {
    return switch (s.trim().toUpperCase(java.util.Locale.ROOT)) {
      case "BUY", "B" -> BUY;
      case "SELL", "S" -> SELL;
      default -> throw new IllegalArgumentException("side must be BUY or SELL, got '" + s + "'");
    };
  }
}
