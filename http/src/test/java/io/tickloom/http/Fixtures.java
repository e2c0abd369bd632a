package io.tickloom.http;

import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Gap;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.OptionType;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.Timestamps;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Instruments and market data used by the http tests. */
final class Fixtures {
  private Fixtures() {}

  static final Instrument NIFTY = Instrument.cash(256265, Exchange.NSE, "NIFTY 50", InstrumentKind.IDX, 5, 1, 2, 0);
  static final Instrument RELIANCE = Instrument.cash(738561, Exchange.NSE, "RELIANCE", InstrumentKind.EQ, 5, 1, 2, 0);
  static final Instrument TCS = Instrument.cash(2953217, Exchange.NSE, "TCS", InstrumentKind.EQ, 5, 1, 2, 0);
  static final Instrument BTC = Instrument.cash(900001, Exchange.BINANCE, "BTCUSDT", InstrumentKind.SPOT, 1, 1, 2, 8);
  static final Instrument NIFTY_CE = new Instrument(12345678, Exchange.NFO, "NIFTY26JAN24000CE", InstrumentKind.OPT, 5, 75, 2, 0,
      "NIFTY", LocalDate.of(2026, 1, 29), 2_400_000, OptionType.CE);

  static final List<Instrument> ALL = List.of(NIFTY, RELIANCE, TCS, BTC, NIFTY_CE);

  /** 2026-01-15T03:45:00Z (09:15 IST). */
  static final long T0 = Timestamps.of(Instant.parse("2026-01-15T03:45:00Z"));
  static final long MINUTE = 60 * Timestamps.NANOS_PER_SECOND;

  /** A RELIANCE tick: price 2500.05 + seq paise, microsecond exchange time, trade id, side, quote. */
  static Tick tick(Instrument i, long seq, long exchangeTs, long price) {
    return new Tick(i.token(), exchangeTs, exchangeTs + 2_500_000, price, 10 + seq, 70_000 + seq, seq, Feed.PRIMARY,
        seq % 2 == 0 ? Side.BUY : Side.SELL, price - 5, price + 5, TickStatus.LIVE);
  }

  static List<Tick> ticks(Instrument i, int n, long ts0, long price0) {
    List<Tick> out = new ArrayList<>();
    for (int k = 1; k <= n; k++) out.add(tick(i, k, ts0 + k * 1_000_123_000L, price0 + k));
    return out;
  }

  static Bar bar(Instrument i, Timeframe tf, long start, long open, boolean isFinal) {
    return new Bar(i.token(), tf, start, start + tf.nanos(), open, open + 150, open - 100, open + 50, 1_200, 37, open + 20, isFinal, 0);
  }

  /** {@code n} consecutive final bars from {@code start}, a gentle random walk. */
  static List<Bar> bars(Instrument i, Timeframe tf, int n, long start, long open0) {
    List<Bar> out = new ArrayList<>();
    java.util.Random r = new java.util.Random(7);
    long open = open0;
    for (int k = 0; k < n; k++) {
      long close = open + r.nextInt(401) - 200;
      long high = Math.max(open, close) + r.nextInt(120);
      long low = Math.min(open, close) - r.nextInt(120);
      out.add(new Bar(i.token(), tf, start + k * tf.nanos(), start + (k + 1) * tf.nanos(), open, high, low, close,
          500 + r.nextInt(5000), 10 + r.nextInt(90), (high + low) / 2, true, 0));
      open = close;
    }
    return out;
  }

  static Gap gap(Instrument i, long fromSeq, long toSeq, long openedAt, Gap.State state) {
    return new Gap(i.token(), fromSeq, toSeq, openedAt, state == Gap.State.OPEN ? 0 : openedAt + 2 * Timestamps.NANOS_PER_SECOND,
        state == Gap.State.FILLED ? toSeq - fromSeq + 1 : 0, state);
  }
}
