package io.tickloom.cluster.oms;

/** How long an order works: the trading day, immediately-or-cancel, or until cancelled. */
public enum TimeInForce {
  DAY, IOC, GTC
}
