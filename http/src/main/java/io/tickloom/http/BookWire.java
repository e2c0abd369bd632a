package io.tickloom.http;

import io.tickloom.cluster.InstrumentEntity.BookView;
import io.tickloom.cluster.MarketEvent;
import io.tickloom.protocol.Fixed;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Timestamps;
import io.tickloom.protocol.book.BookSnapshot;
import io.tickloom.protocol.book.OrderBook;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wire form of an order book (REST {@code /api/v1/book}, WebSocket {@code depth} frames): levels as
 * {@code [price, size]} pairs of exact decimals at the instrument's scales, best first; the features, all computed
 * from the snapshot's fixed-point levels in decimal arithmetic: prices, sizes, spread, depths and the mid exact,
 * {@code microprice} rounded half-even to 2 decimals beyond the price scale, {@code imbalance} to 6 decimals.
 */
final class BookWire {
  private BookWire() {}

  /**
   * @param ts the book clock (greatest exchange timestamp applied), null before any message
   * @param kind {@code L2}, {@code L3}, or {@code NONE} before any depth message
   * @param status {@code LIVE}, or {@code STALE} after a book-integrity event until the next snapshot
   */
  record BookDto(long token, String ts, String kind, String status, List<List<BigDecimal>> bids, List<List<BigDecimal>> asks,
      Map<String, Object> features) {}

  /** A WebSocket {@code depth} frame: the book's wire form with {@code "type":"depth"}. */
  record DepthFrame(String type, @com.fasterxml.jackson.annotation.JsonUnwrapped BookDto book) {}

  static String depthFrame(MarketEvent.Depth d, Instrument i) {
    return Json.write(new DepthFrame("depth", from(d, i)));
  }

  static BookDto from(BookView v, Instrument i) {
    return of(v.token(), v.ts(), v.kind(), v.stale(), v.book(), i);
  }

  static BookDto from(MarketEvent.Depth d, Instrument i) {
    return of(d.token(), d.ts(), d.kind(), d.stale(), d.book(), i);
  }

  static BookDto of(long token, long ts, String kind, boolean stale, BookSnapshot s, Instrument i) {
    int ps = i.priceScale();
    int qs = i.qtyScale();
    String time = ts == Long.MIN_VALUE ? null : Timestamps.format(ts);
    String status = stale ? "STALE" : "LIVE";
    if (s == null) return new BookDto(token, time, kind, status, List.of(), List.of(), Map.of());
    long[] bp = s.bidPrices();
    long[] bs = s.bidSizes();
    long[] ap = s.askPrices();
    long[] as = s.askSizes();
    Map<String, Object> f = new LinkedHashMap<>();
    if (bp.length > 0) {
      f.put("bestBid", Fixed.toBigDecimal(bp[0], ps));
      f.put("bestBidSize", Fixed.toBigDecimal(bs[0], qs));
    }
    if (ap.length > 0) {
      f.put("bestAsk", Fixed.toBigDecimal(ap[0], ps));
      f.put("bestAskSize", Fixed.toBigDecimal(as[0], qs));
    }
    if (s.spread() != OrderBook.NO_PRICE) {
      f.put("spread", Fixed.toBigDecimal(s.spread(), ps));
      f.put("mid", BigDecimal.valueOf(bp[0]).add(BigDecimal.valueOf(ap[0])).movePointLeft(ps).divide(BigDecimal.valueOf(2)));
    }
    if (bp.length > 0 && ap.length > 0 && BigDecimal.valueOf(bs[0]).add(BigDecimal.valueOf(as[0])).signum() > 0) {
      // (bid x askSize + ask x bidSize) / (bidSize + askSize): the best prices weighted by the opposite side's size
      BigDecimal weighted = BigDecimal.valueOf(bp[0]).multiply(BigDecimal.valueOf(as[0]))
          .add(BigDecimal.valueOf(ap[0]).multiply(BigDecimal.valueOf(bs[0])));
      f.put("microprice", weighted.divide(BigDecimal.valueOf(bs[0]).add(BigDecimal.valueOf(as[0])), 2, RoundingMode.HALF_EVEN)
          .movePointLeft(ps).stripTrailingZeros());
    }
    // Exact sums: depths saturate at Long.MAX_VALUE, so their sum or difference may not fit a long.
    BigDecimal bids = BigDecimal.valueOf(s.bidDepth());
    BigDecimal asks = BigDecimal.valueOf(s.askDepth());
    if (bids.add(asks).signum() > 0) {
      f.put("imbalance", bids.subtract(asks).divide(bids.add(asks), 6, RoundingMode.HALF_EVEN).stripTrailingZeros());
    }
    f.put("bidDepth", Fixed.toBigDecimal(s.bidDepth(), qs));
    f.put("askDepth", Fixed.toBigDecimal(s.askDepth(), qs));
    f.put("levels", Math.max(bp.length, ap.length));
    return new BookDto(token, time, kind, status, levels(bp, bs, ps, qs), levels(ap, as, ps, qs), f);
  }

  private static List<List<BigDecimal>> levels(long[] prices, long[] sizes, int ps, int qs) {
    List<List<BigDecimal>> out = new ArrayList<>(prices.length);
    for (int k = 0; k < prices.length; k++) out.add(List.of(Fixed.toBigDecimal(prices[k], ps), Fixed.toBigDecimal(sizes[k], qs)));
    return out;
  }
}
