package io.tickloom.protocol.format.kite;

/**
 * One market-depth level of a Kite full-mode packet.
 *
 * @param qty quantity at the level (shares or contracts' units, as Kite sends it)
 * @param price fixed-point at the packet's {@link KiteTick#priceScale()}; 0 for an empty level
 * @param orders number of orders at the level
 */
public record KiteDepth(long qty, long price, int orders) {}
