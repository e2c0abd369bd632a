package io.tickloom.protocol.book;

import java.util.Arrays;

/**
 * An immutable copy of a book's top levels and its features at one moment (made by {@link OrderBook#snapshot(int)}):
 * the arrays are the snapshot's own, best level first; equality compares the levels and the flag by content. Only
 * fixed-point longs: mid, microprice and imbalance derive from the best levels and the depths (rendered exactly where
 * they are shown), so no floating-point price travels with the book.
 *
 * @param bidPrices bid prices, best (highest) first
 * @param bidSizes sizes of those bid levels
 * @param askPrices ask prices, best (lowest) first
 * @param askSizes sizes of those ask levels
 * @param spread best ask minus best bid, or {@link OrderBook#NO_PRICE}
 * @param bidDepth sum of {@code bidSizes}, saturated at {@code Long.MAX_VALUE} (see {@link OrderBook#depth})
 * @param askDepth sum of {@code askSizes}, saturated likewise
 * @param stale the book needed a snapshot (after an integrity event)
 */
public record BookSnapshot(long[] bidPrices, long[] bidSizes, long[] askPrices, long[] askSizes, long spread,
    long bidDepth, long askDepth, boolean stale) {

  public BookSnapshot {
    bidPrices = bidPrices.clone();
    bidSizes = bidSizes.clone();
    askPrices = askPrices.clone();
    askSizes = askSizes.clone();
  }

  @Override
  public long[] bidPrices() {
    return bidPrices.clone();
  }

  @Override
  public long[] bidSizes() {
    return bidSizes.clone();
  }

  @Override
  public long[] askPrices() {
    return askPrices.clone();
  }

  @Override
  public long[] askSizes() {
    return askSizes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BookSnapshot s && Arrays.equals(bidPrices, s.bidPrices) && Arrays.equals(bidSizes, s.bidSizes)
        && Arrays.equals(askPrices, s.askPrices) && Arrays.equals(askSizes, s.askSizes) && stale == s.stale;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * Arrays.hashCode(bidPrices) + Arrays.hashCode(bidSizes)) + Arrays.hashCode(askPrices))
        + Arrays.hashCode(askSizes) + (stale ? 1 : 0);
  }

  @Override
  public String toString() {
    return "BookSnapshot[bids=" + levels(bidPrices, bidSizes) + ", asks=" + levels(askPrices, askSizes)
        + ", spread=" + spread + ", stale=" + stale + "]";
  }

  private static String levels(long[] prices, long[] sizes) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < prices.length; i++) sb.append(i == 0 ? "" : " ").append(prices[i]).append('x').append(sizes[i]);
    return sb.append(']').toString();
  }
}
