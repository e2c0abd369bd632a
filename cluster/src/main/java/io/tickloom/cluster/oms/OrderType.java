package io.tickloom.cluster.oms;

/** Order types of SPEC §5. {@code SL} is a stop-limit (trigger and limit price), {@code SL_M} a stop-market. */
public enum OrderType {
  LIMIT, MARKET, SL, SL_M;

  /** Whether the order carries a limit price (LIMIT, SL); MARKET and SL_M carry none. */
  public boolean priced() {
    return this == LIMIT || this == SL;
  }

  /** Whether the order carries a trigger price (SL, SL_M). */
  public boolean triggered() {
    return this == SL || this == SL_M;
  }
}
