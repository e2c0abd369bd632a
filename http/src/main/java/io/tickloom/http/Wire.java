package io.tickloom.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tickloom.cluster.MarketEvent;
import io.tickloom.cluster.oms.OrderEvent;
import io.tickloom.cluster.oms.OrderRequest;
import io.tickloom.cluster.oms.OrderView;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Fixed;
import io.tickloom.protocol.Gap;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.Timestamps;
import io.tickloom.protocol.indicators.OfflineIndicators;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wire DTOs of the REST API and the WebSocket (SPEC §3, §5, §6), decoupled from the domain and persisted types.
 * Prices and quantities are {@link BigDecimal}s at the instrument's scale, written as plain JSON numbers
 * ({@code 2500.05}, see {@link Json}); times are ISO-8601 UTC strings with the source's precision; absent optional
 * fields are omitted. The {@code from} methods allocate (they run once per item sent).
 */
public final class Wire {
  private Wire() {}

  /** A list answer: {@code {"items":[...],"nextCursor":null}} ({@code nextCursor} is always written). */
  public record Items<T>(List<T> items, @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {
    public static <T> Items<T> of(List<T> items) {
      return new Items<>(items, null);
    }
  }

  public record InstrumentDto(
      long token,
      String exchange,
      String symbol,
      String kind,
      BigDecimal tickSize,
      BigDecimal lotSize,
      int priceScale,
      int qtyScale,
      String underlying,
      String expiry,
      BigDecimal strike,
      String optionType) {

    public static InstrumentDto from(Instrument i) {
      boolean option = i.kind() == InstrumentKind.OPT || i.optionType() != null;
      return new InstrumentDto(
          i.token(),
          i.exchange().name(),
          i.symbol(),
          i.kind().name(),
          Fixed.toBigDecimal(i.tickSize(), i.priceScale()),
          Fixed.toBigDecimal(i.lotSize(), i.qtyScale()),
          i.priceScale(),
          i.qtyScale(),
          i.underlying(),
          i.expiry() == null ? null : i.expiry().toString(),
          option ? Fixed.toBigDecimal(i.strike(), i.priceScale()) : null,
          i.optionType() == null ? null : i.optionType().name());
    }
  }

  /** A tick; {@code tradeId}, {@code side}, {@code bid}, {@code ask} only when the source had them. */
  public record TickDto(
      long token,
      String exchangeTs,
      String receiveTs,
      BigDecimal price,
      BigDecimal qty,
      Long tradeId,
      long seq,
      String feed,
      String side,
      BigDecimal bid,
      BigDecimal ask,
      String status) {

    public static TickDto from(Tick t, Instrument i) {
      int ps = i.priceScale();
      return new TickDto(
          t.token(),
          Timestamps.format(t.exchangeTs()),
          Timestamps.format(t.receiveTs()),
          Fixed.toBigDecimal(t.price(), ps),
          Fixed.toBigDecimal(t.qty(), i.qtyScale()),
          t.hasTradeId() ? t.tradeId() : null,
          t.seq(),
          t.feed().wire(),
          t.side() == null ? null : t.side().name(),
          t.bid() == Tick.NO_PRICE ? null : Fixed.toBigDecimal(t.bid(), ps),
          t.ask() == Tick.NO_PRICE ? null : Fixed.toBigDecimal(t.ask(), ps),
          t.status().name());
    }
  }

  /** A bar: {@code [start, end)}, {@code final} false while forming, {@code revision} +1 per correction. */
  public record BarDto(
      long token,
      String tf,
      String start,
      String end,
      BigDecimal open,
      BigDecimal high,
      BigDecimal low,
      BigDecimal close,
      BigDecimal volume,
      long trades,
      BigDecimal vwap,
      @JsonProperty("final") boolean isFinal,
      int revision) {

    public static BarDto from(Bar b, Instrument i) {
      int ps = i.priceScale();
      return new BarDto(
          b.token(),
          b.tf().label(),
          Timestamps.format(b.start()),
          Timestamps.format(b.end()),
          Fixed.toBigDecimal(b.open(), ps),
          Fixed.toBigDecimal(b.high(), ps),
          Fixed.toBigDecimal(b.low(), ps),
          Fixed.toBigDecimal(b.close(), ps),
          Fixed.toBigDecimal(b.volume(), i.qtyScale()),
          b.trades(),
          Fixed.toBigDecimal(b.vwap(), ps),
          b.isFinal(),
          b.revision());
    }
  }

  /**
   * A sequence gap: seqs {@code fromSeq..toSeq} missing; {@code filled} arrived later, {@code missing} never did
   * (so far). {@code closedAt} is absent while {@code state} is {@code OPEN}.
   */
  public record GapDto(
      long token,
      long fromSeq,
      long toSeq,
      long size,
      long filled,
      long missing,
      String openedAt,
      String closedAt,
      String state) {

    public static GapDto from(Gap g) {
      return new GapDto(
          g.token(),
          g.fromSeq(),
          g.toSeq(),
          g.size(),
          g.filled(),
          g.missing(),
          Timestamps.format(g.openedAt()),
          g.state() == Gap.State.OPEN ? null : Timestamps.format(g.closedAt()),
          g.state().name());
    }
  }

  /**
   * Indicator values of one bar: {@code values} maps output names ({@code RSI_14}, {@code MACD_12_26_9.signal}) to
   * the value rounded half-even to 8 decimals ({@link OfflineIndicators#format}); outputs without a value yet (NaN)
   * are absent. {@code final} is false for the values of a forming bar.
   */
  public record IndicatorDto(long token, String tf, String start, boolean fin, Map<String, BigDecimal> values) {
    @JsonProperty("final")
    public boolean fin() {
      return fin;
    }

    /** {@code values[i]} of output {@code outputs.get(i)}. */
    public static IndicatorDto of(long token, Timeframe tf, long start, boolean isFinal, List<String> outputs, double[] values) {
      Map<String, BigDecimal> m = new LinkedHashMap<>();
      for (int i = 0; i < outputs.size(); i++) {
        if (Double.isFinite(values[i])) m.put(outputs.get(i), new BigDecimal(OfflineIndicators.format(values[i])));
      }
      return new IndicatorDto(token, tf.label(), Timestamps.format(start), isFinal, m);
    }

    public static IndicatorDto from(Bar b, List<String> outputs, double[] values) {
      return of(b.token(), b.tf(), b.start(), b.isFinal(), outputs, values);
    }

    public static IndicatorDto from(MarketEvent.IndicatorUpdate u) {
      return of(u.token(), u.tf(), u.start(), u.isFinal(), u.names(), u.values());
    }
  }

  /**
   * An order (SPEC §5 order view). {@code qty}, {@code filledQty} at the instrument's quantity scale, prices at its
   * price scale; {@code price} is absent for MARKET/SL_M orders and {@code avgPrice} until the first fill;
   * {@code updatedAt} is the time of the order's last event.
   */
  public record OrderDto(
      String orderId,
      String clientOrderId,
      String account,
      long token,
      String side,
      BigDecimal qty,
      BigDecimal filledQty,
      BigDecimal avgPrice,
      String type,
      BigDecimal price,
      String tif,
      String status,
      String updatedAt) {

    public static OrderDto from(OrderView o, int priceScale, int qtyScale) {
      return new OrderDto(
          o.orderId(),
          o.clientOrderId(),
          o.account(),
          o.token(),
          o.side().name(),
          Fixed.toBigDecimal(o.qty(), qtyScale),
          Fixed.toBigDecimal(o.filledQty(), qtyScale),
          o.filledQty() == 0 ? null : Fixed.toBigDecimal(o.avgPrice(), priceScale),
          o.type().name(),
          o.type().priced() ? Fixed.toBigDecimal(o.price(), priceScale) : null,
          o.tif().name(),
          o.status().name(),
          Timestamps.format(o.updatedAt()));
    }
  }

  /**
   * A journaled order event as {@code GET /api/v1/orders/{orderId}/events} lists it: {@code seq} (the journal's
   * sequence number), {@code type} (the event's name), the event's own fields (prices and quantities at the
   * instrument's scales; {@code OrderSubmitted} carries the order as placed) and {@code tsEvent} last. Built from
   * the persisted events here, so the journal format and the wire format can evolve apart. Allocates.
   */
  public static Map<String, Object> orderEvent(long seq, OrderEvent e, int priceScale, int qtyScale) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seq", seq);
    m.put("type", e.getClass().getSimpleName());
    if (e instanceof OrderEvent.OrderSubmitted s) {
      OrderRequest r = s.request();
      m.put("orderId", s.orderId().value());
      m.put("clientOrderId", r.clientOrderId());
      m.put("account", r.account());
      m.put("token", r.token());
      m.put("side", r.side().name());
      m.put("qty", Fixed.toBigDecimal(r.qty(), qtyScale));
      m.put("orderType", r.type().name());
      if (r.type().priced()) m.put("price", Fixed.toBigDecimal(r.price(), priceScale));
      if (r.type().triggered()) m.put("triggerPrice", Fixed.toBigDecimal(r.triggerPrice(), priceScale));
      m.put("tif", r.tif().name());
    } else if (e instanceof OrderEvent.OrderRejected r) {
      m.put("reason", r.reason());
    } else if (e instanceof OrderEvent.OrderPartiallyFilled f) {
      fill(m, f.tradeId(), f.qty(), f.price(), priceScale, qtyScale);
    } else if (e instanceof OrderEvent.OrderFilled f) {
      fill(m, f.tradeId(), f.qty(), f.price(), priceScale, qtyScale);
    } else if (e instanceof OrderEvent.OrderModifyRequested r) {
      m.put("qty", Fixed.toBigDecimal(r.qty(), qtyScale));
      if (r.price() != 0) m.put("price", Fixed.toBigDecimal(r.price(), priceScale));
    } else if (e instanceof OrderEvent.OrderModified r) {
      m.put("qty", Fixed.toBigDecimal(r.qty(), qtyScale));
      if (r.price() != 0) m.put("price", Fixed.toBigDecimal(r.price(), priceScale));
    } else if (e instanceof OrderEvent.OrderModifyRejected r) {
      m.put("reason", r.reason());
    } else if (e instanceof OrderEvent.OrderCancelRequested r) {
      m.put("reason", r.reason());
    } else if (e instanceof OrderEvent.OrderCancelRejected r) {
      m.put("reason", r.reason());
    } else if (e instanceof OrderEvent.OrderCancelled r) {
      m.put("reason", r.reason());
    }
    m.put("tsEvent", Timestamps.format(e.tsEvent()));
    return m;
  }

  private static void fill(Map<String, Object> m, String tradeId, long qty, long price, int priceScale, int qtyScale) {
    m.put("tradeId", tradeId);
    m.put("qty", Fixed.toBigDecimal(qty, qtyScale));
    m.put("price", Fixed.toBigDecimal(price, priceScale));
  }
}
