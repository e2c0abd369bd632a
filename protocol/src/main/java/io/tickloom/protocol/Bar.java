package io.tickloom.protocol;

/**
 * An OHLCV bar of one instrument and timeframe (SPEC §3): {@code [start, end)} in epoch nanoseconds,
 * prices at the instrument's price scale, {@code volume} at its quantity scale, {@code vwap} rounded
 * half-up to the price scale. {@code isFinal} is false while the bar forms; {@code revision} is 0 and
 * grows by one per correction caused by a late tick.
 */
public record Bar(
    long token,
    Timeframe tf,
    long start,
    long end,
    long open,
    long high,
    long low,
    long close,
    long volume,
    long trades,
    long vwap,
    boolean isFinal,
    int revision)
    implements CborSerializable {

  /** Same OHLCV content, ignoring {@code isFinal} and {@code revision}. */
  public boolean sameValues(Bar o) {
    return token == o.token && tf == o.tf && start == o.start && end == o.end && open == o.open
        && high == o.high && low == o.low && close == o.close && volume == o.volume && trades == o.trades && vwap == o.vwap;
  }
}
