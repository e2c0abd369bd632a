package io.tickloom.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickloom.cluster.InstrumentDirectory;
import io.tickloom.cluster.oms.OrderAck;
import io.tickloom.cluster.oms.OrderEvent;
import io.tickloom.cluster.oms.OrderId;
import io.tickloom.cluster.oms.OrderRequest;
import io.tickloom.cluster.oms.OrderStatus;
import io.tickloom.cluster.oms.OrderType;
import io.tickloom.cluster.oms.OrderView;
import io.tickloom.cluster.oms.RiskCheck;
import io.tickloom.cluster.oms.TimeInForce;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.format.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orders of SPEC §5 over the OMS ({@link io.tickloom.cluster.oms.OrderService}): {@code POST /api/v1/orders}
 * (place, idempotent on {@code clientOrderId}), {@code GET}, {@code PATCH} (modify qty/price) and {@code DELETE}
 * (cancel) {@code /api/v1/orders/{orderId}}, {@code GET /api/v1/orders/{orderId}/events} (the journal), and from the
 * read side {@code GET /api/v1/orders?account=...} (history) and {@code GET /api/v1/positions?account=...}, and
 * {@code GET /api/v1/orders/events?account=&from=&to=} (the account's events, re-read from the journal).
 *
 * <p>Every request needs an {@code X-API-Key} with role {@code trader} (or {@code admin}): 401 without a valid key,
 * 403 without the role. A key acts only for its own account: a body naming another account, or an order id of
 * another account, is 403, decided from the id alone ({@link OrderId#account()}) before the OMS is asked, so the
 * answer says nothing about whether such an order exists. An unknown order of the key's own account is 404.
 *
 * <p>Answers: the order view ({@link Wire.OrderDto}); 201 for a new order, 200 for an idempotent retry and for
 * get/modify/cancel. A place refused by pre-trade risk creates a REJECTED order (journaled, audited): 422
 * {@code order-refused} with the reason as {@code detail} and {@code Location} naming the rejected order. Refusals
 * of the order's state machine (cancel of a filled order, a client order id reused with other parameters) are 409
 * {@code conflict}; a modify the order cannot take or risk refuses is 422. The price band is checked against the
 * instrument's last traded price ({@link io.tickloom.cluster.LiveMarket#lastPrice}).
 *
 * <p>Transient conditions answer 503 with {@code Retry-After}, and nothing is recorded: the instrument's entity is
 * moving or starting (its last price cannot be read), it knows no price yet while the risk check needs one, the node is
 * over its in-flight limit, or the database is down (refused before the route, see {@link Routes}). A 503 after the OMS
 * was asked (it did not answer in time) says so: the order may be recorded, and a recorded order always reaches the
 * venue (the entity hands it over until the venue answers); a retry with the same {@code clientOrderId} answers its
 * state and resumes its hand-off. No blocking: every step is a future.
 */
final class OrderRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(OrderRoutes.class);
  static final long MAX_BODY_BYTES = 64L << 10;
  static final String ROLE = "trader";

  private final HttpContext ctx;
  private final RateLimits limits;

  OrderRoutes(HttpContext ctx, RateLimits limits) {
    this.ctx = ctx;
    this.limits = limits;
  }

  /** Routes below {@code /api/v1/orders}. */
  Route route() {
    return extractUri(uri -> {
      String instance = ApiRoutes.instance(uri);
      return concat(
          pathEndOrSingleSlash(() -> concat(
              post(() -> withTrader(instance, key -> limited(instance, key, () -> withBody(instance, body -> place(instance, key, body))))),
              get(() -> withTrader(instance, key -> completeWithFuture(history(instance, uri, key)))))),
          path("events", () -> get(() -> withTrader(instance, key -> completeWithFuture(accountEvents(instance, uri, key))))),
          pathPrefix(PathMatchers.segment(), idText -> concat(
              pathEndOrSingleSlash(() -> concat(
                  get(() -> withOrder(instance, idText, id -> completeWithFuture(view(instance, id)))),
                  delete(() -> withOrder(instance, idText, true, id -> completeWithFuture(cancel(instance, id)))),
                  patch(() -> withOrder(instance, idText, true, id -> withBody(instance, body -> modify(instance, id, body)))))),
              path("events", () -> get(() -> withOrder(instance, idText, id -> completeWithFuture(events(instance, id))))))));
    });
  }

  /** {@code GET /api/v1/fills?account=&token=&from=&to=&limit=&cursor=} (mounted by {@link Routes}). */
  Route fillsRoute() {
    return extractUri(uri -> {
      String instance = ApiRoutes.instance(uri);
      return get(() -> withTrader(instance, key -> completeWithFuture(fills(instance, uri, key))));
    });
  }

  /** {@code GET /api/v1/positions?account=} (mounted by {@link Routes}). */
  Route positionsRoute() {
    return extractUri(uri -> {
      String instance = ApiRoutes.instance(uri);
      return get(() -> withTrader(instance, key -> completeWithFuture(positions(instance, uri, key))));
    });
  }

  // ----------------------------------------------------------------------------------------------------------------
  // auth and request plumbing

  private Route withTrader(String instance, Function<ApiKeys.Key, Route> inner) {
    return optionalHeaderValueByName("X-API-Key", presented -> {
      Optional<ApiKeys.Key> key = ctx.keys().find(presented.orElse(null));
      if (key.isEmpty()) {
        return complete(Problem.unauthorized(instance, presented.isEmpty() ? "this endpoint needs an X-API-Key header" : "unknown API key").toResponse());
      }
      if (!key.get().has(ROLE)) return complete(Problem.forbidden(instance, "the API key lacks the role '" + ROLE + "'").toResponse());
      if (ctx.orders() == null) return complete(Problem.unavailable(instance).toResponse());
      return inner.apply(key.get());
    });
  }

  /** A trader key whose account owns {@code idText}; an id that does not parse is 404 (no order has it). */
  private Route withOrder(String instance, String idText, Function<OrderId, Route> inner) {
    return withOrder(instance, idText, false, inner);
  }

  /** As above; an order command ({@code command}: modify, cancel) also counts against the key's order rate limit. */
  private Route withOrder(String instance, String idText, boolean command, Function<OrderId, Route> inner) {
    return withTrader(instance, key -> command ? limited(instance, key, () -> order(instance, idText, key, inner)) : order(instance, idText, key, inner));
  }

  /** The key's order commands are rate limited ({@code tickloom.http.limits.orders}): 429 with Retry-After beyond. */
  private Route limited(String instance, ApiKeys.Key key, java.util.function.Supplier<Route> inner) {
    RateLimits.Refused r = limits.order("key " + key.id());
    return r == null ? inner.get() : Routes.held(ctx, limits, Routes.tooMany(instance, r));
  }

  private Route order(String instance, String idText, ApiKeys.Key key, Function<OrderId, Route> inner) {
    {
      OrderId id;
      try {
        id = OrderId.parse(idText);
      } catch (IllegalArgumentException e) {
        return complete(Problem.notFound(instance, "no order " + idText + " (order ids read ACCOUNT.uuid)").toResponse());
      }
      if (!id.account().equals(key.account())) return complete(forbiddenAccount(instance).toResponse());
      return inner.apply(id);
    }
  }

  private Route withBody(String instance, Function<byte[], CompletionStage<HttpResponse>> inner) {
    return JsonBodies.body(instance, MAX_BODY_BYTES, inner);
  }

  private static Problem forbiddenAccount(String instance) {
    return Problem.forbidden(instance, "the API key cannot act for this account");
  }

  // ----------------------------------------------------------------------------------------------------------------
  // endpoints

  private CompletionStage<HttpResponse> place(String instance, ApiKeys.Key key, byte[] body) {
    Placing placing;
    try {
      JsonNode n = object(body);
      String account = account(n);
      if (!account.equals(key.account())) return done(forbiddenAccount(instance).toResponse());
      placing = request(n, account, ctx.instruments());
    } catch (FieldError e) {
      return done(Problem.invalidBody(instance, e.field().isEmpty() ? "body" : e.field(), e.detail()).toResponse());
    }
    OrderRequest request = placing.request();
    Instrument in = placing.instrument();
    return market(in, needsLastPrice(request.account(), request.type()))
        .thenCompose(market -> ctx.orders().place(request, market))
        .thenApply(ack -> placed(instance, ack, in))
        .exceptionally(e -> refused(instance, e));
  }

  /** A well-formed order request ({@link OrderRequest#problem()} null) and the instrument it names. */
  record Placing(OrderRequest request, Instrument instrument) {}

  /** The {@code account} of a {@code POST /api/v1/orders} body, read first: another account than the key's is 403. */
  static String account(JsonNode n) {
    String account = text(n, "account", true);
    if (!OrderId.validAccount(account)) throw new FieldError("account", "must match [A-Za-z0-9_-]{1,64}");
    return account;
  }

  /**
   * The rest of a {@code POST /api/v1/orders} body whose {@link #account} is {@code account}, field by field in the
   * order the first refusal is reported: the order request, on the tick size of the instrument it names, or a
   * {@link FieldError} naming the field at fault ({@code body} for what only {@link OrderRequest#problem()} sees).
   */
  static Placing request(JsonNode n, String account, InstrumentDirectory instruments) {
    String clientOrderId = BodyFields.text(n, "clientOrderId", OrderRequest.MAX_CLIENT_ORDER_ID, true);
    long token = BodyFields.positiveLong(n, "token");
    Instrument instrument = instruments.find(token).orElseThrow(() -> new FieldError("token", "no instrument with token " + token));
    Side side = enumValue(n, "side", Side.class, null, "BUY or SELL");
    OrderType type = enumValue(n, "type", OrderType.class, null, "LIMIT, MARKET, SL or SL_M");
    TimeInForce tif = enumValue(n, "tif", TimeInForce.class, TimeInForce.DAY, "DAY, IOC or GTC");
    long qty = BodyFields.decimal(n, "qty", instrument.qtyScale(), true);
    if (qty <= 0) throw new FieldError("qty", "must be positive");
    long price = BodyFields.decimal(n, "price", instrument.priceScale(), false);
    if (type.priced() && price <= 0) throw new FieldError("price", "a " + type + " order needs a positive price");
    if (!type.priced() && n.hasNonNull("price")) throw new FieldError("price", "a " + type + " order has no price");
    long trigger = BodyFields.decimal(n, "triggerPrice", instrument.priceScale(), false);
    if (type.triggered() && trigger <= 0) throw new FieldError("triggerPrice", "a " + type + " order needs a positive triggerPrice");
    if (!type.triggered() && n.hasNonNull("triggerPrice")) throw new FieldError("triggerPrice", "a " + type + " order has no triggerPrice");
    onTick(instrument, "price", price);
    onTick(instrument, "triggerPrice", trigger);
    OrderRequest request = new OrderRequest(clientOrderId, account, token, side, qty, type, price, trigger, tif);
    String problem = request.problem();
    if (problem != null) throw new FieldError("body", problem);
    return new Placing(request, instrument);
  }

  private HttpResponse placed(String instance, OrderAck ack, Instrument in) {
    OrderView o = ack.order();
    Location location = Location.create("/api/v1/orders/" + o.orderId());
    if (o.status() == OrderStatus.REJECTED) {
      return Problem.orderRefused(instance, o.reason()).toResponse().addHeader(location);
    }
    HttpResponse response = Json.response(ack.created() ? StatusCodes.CREATED : StatusCodes.OK, dto(o, in));
    return ack.created() ? response.addHeader(location) : response;
  }

  private CompletionStage<HttpResponse> view(String instance, OrderId id) {
    return ctx.orders().get(id).thenApply(o -> Json.ok(dto(o, null))).exceptionally(e -> refused(instance, e));
  }

  private CompletionStage<HttpResponse> cancel(String instance, OrderId id) {
    return ctx.orders().cancel(id, "cancel requested").thenApply(ack -> Json.ok(dto(ack.order(), null)))
        .exceptionally(e -> refused(instance, e));
  }

  /** Body {@code {"qty","price"}}, either may be left out (it keeps the order's current value). */
  private CompletionStage<HttpResponse> modify(String instance, OrderId id, byte[] body) {
    JsonNode n;
    try {
      n = object(body);
      if (!n.hasNonNull("qty") && !n.hasNonNull("price")) throw new FieldError("body", "give the new total qty, the new price, or both");
    } catch (FieldError e) {
      return done(Problem.invalidBody(instance, e.field(), e.detail()).toResponse());
    }
    return ctx.orders().get(id).thenCompose(o -> {
      Instrument in = instrument(o.token());
      long qty;
      long price;
      try {
        qty = n.hasNonNull("qty") ? BodyFields.decimal(n, "qty", in.qtyScale(), true) : o.qty();
        if (qty <= 0) throw new FieldError("qty", "must be positive");
        if (!o.type().priced() && n.hasNonNull("price")) throw new FieldError("price", "a " + o.type() + " order has no price");
        price = n.hasNonNull("price") ? BodyFields.decimal(n, "price", in.priceScale(), true) : o.price();
        if (o.type().priced() && price <= 0) throw new FieldError("price", "must be positive");
        onTick(in, "price", price);
      } catch (FieldError e) {
        return done(Problem.invalidBody(instance, e.field(), e.detail()).toResponse());
      }
      return market(in, needsLastPrice(o.account(), o.type())).thenCompose(market -> ctx.orders().modify(id, qty, price, market))
          .thenApply(ack -> Json.ok(dto(ack.order(), in)));
    }).exceptionally(e -> refused(instance, e));
  }

  private CompletionStage<HttpResponse> events(String instance, OrderId id) {
    return ctx.orders().events(id).thenApply(envelopes -> {
      if (envelopes.isEmpty()) return Problem.notFound(instance, "no order " + id.value()).toResponse();
      Instrument in = null;
      List<Map<String, Object>> items = new ArrayList<>(envelopes.size());
      for (var env : envelopes) {
        if (!(env.event() instanceof OrderEvent e)) continue;
        if (e instanceof OrderEvent.OrderSubmitted s) in = instrument(s.request().token());
        int ps = in == null ? 0 : in.priceScale();
        int qs = in == null ? 0 : in.qtyScale();
        items.add(Wire.orderEvent(env.sequenceNr(), e, ps, qs));
      }
      return Json.ok(Wire.Items.of(items));
    });
  }

  /**
   * {@code GET /api/v1/orders/events?account=&from=&to=&limit=&cursor=}: the journaled events of the account's orders
   * with {@code from <= tsEvent < to}, in journal order, re-read from the journal (Pekko Persistence Query,
   * {@link io.tickloom.cluster.oms.OrderService#accountEvents}); items as {@code /orders/{id}/events} with
   * {@code orderId}. {@code nextCursor} (the journal offset of the last item) when {@code limit} cut the answer.
   * {@code account} defaults to the key's; another account is 403, decided before anything is read.
   */
  private CompletionStage<HttpResponse> accountEvents(String instance, Uri uri, ApiKeys.Key key) {
    QueryParams p = new QueryParams(uri.query());
    List<Problem.FieldError> errors = new ArrayList<>();
    String account = accountParam(p, key, errors);
    long[] range = p.range();
    int limit = p.limit(ctx.settings().defaultPageLimit(), ctx.settings().maxPageLimit());
    String cursor = p.text("cursor");
    long after = 0;
    if (cursor != null) {
      try {
        after = Long.parseLong(cursor);
        if (after < 0) throw new NumberFormatException();
      } catch (NumberFormatException e) {
        errors.add(new Problem.FieldError("cursor", "not a cursor this server issued"));
      }
    }
    errors.addAll(0, p.errors());
    if (!errors.isEmpty()) return done(Problem.invalidParameters(instance, errors).toResponse());
    if (!account.equals(key.account())) return done(forbiddenAccount(instance).toResponse());
    return ctx.orders().accountEvents(account, range[0], range[1], after, limit + 1).thenApply(events -> {
      boolean more = events.size() > limit;
      List<io.tickloom.cluster.oms.OrderService.AccountEvent> page = more ? events.subList(0, limit) : events;
      List<Map<String, Object>> items = new ArrayList<>(page.size());
      for (var e : page) items.add(accountEventItem(e, e.token() < 0 ? null : instrument(e.token())));
      return Json.ok(new Wire.Items<>(items, more ? Long.toString(page.get(page.size() - 1).offset()) : null));
    });
  }

  /** An item of the account event stream: the {@code /orders/{id}/events} item with {@code orderId} after its type. */
  static Map<String, Object> accountEventItem(io.tickloom.cluster.oms.OrderService.AccountEvent e, Instrument in) {
    Map<String, Object> event = Wire.orderEvent(e.seq(), e.event(), in == null ? 0 : in.priceScale(), in == null ? 0 : in.qtyScale());
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("seq", event.remove("seq"));
    m.put("type", event.remove("type"));
    m.put("orderId", e.orderId().value());
    m.putAll(event);
    return m;
  }

  /**
   * {@code GET /api/v1/orders?account=&status=&from=&to=&limit=&cursor=}: the account's orders from the read side,
   * newest first (created time, then order id), keyset-paginated; {@code status} a comma list of states,
   * {@code from}/{@code to} bound the created time. {@code account} defaults to the key's; another account is 403,
   * decided before anything is read. The read side lags the journal by the projection's delay (docs/oms.md).
   */
  private CompletionStage<HttpResponse> history(String instance, Uri uri, ApiKeys.Key key) {
    QueryParams p = new QueryParams(uri.query());
    List<Problem.FieldError> errors = new ArrayList<>();
    String account = accountParam(p, key, errors);
    List<String> statuses = new ArrayList<>();
    String statusText = p.text("status");
    if (statusText != null) {
      for (String part : statusText.split(",")) {
        String name = part.trim().toUpperCase(Locale.ROOT);
        if (name.isEmpty()) continue;
        try {
          statuses.add(OrderStatus.valueOf(name).name());
        } catch (IllegalArgumentException e) {
          errors.add(new Problem.FieldError("status", "expected a comma list of " + java.util.Arrays.toString(OrderStatus.values())
              + ", got '" + part.trim() + "'"));
        }
      }
    }
    long[] range = p.range();
    int limit = p.limit(ctx.settings().defaultPageLimit(), ctx.settings().maxPageLimit());
    String cursor = p.text("cursor");
    HttpResponse refused = readSideRefusal(instance, p, errors, account, key);
    if (refused != null) return done(refused);
    return page(instance, cursor, ctx.orders().history(account, statuses, range[0], range[1], limit, cursor),
        row -> OrderWire.OrderItem.from(row, instrument(row.token())));
  }

  /**
   * What a read-side query answers before reading, or null to go on: 400 naming the fields at fault (the query's own
   * {@code errors} and those {@code p} collected), 403 for another account than the key's, 503 without a read side.
   */
  private HttpResponse readSideRefusal(String instance, QueryParams p, List<Problem.FieldError> errors, String account, ApiKeys.Key key) {
    errors.addAll(0, p.errors());
    if (!errors.isEmpty()) return Problem.invalidParameters(instance, errors).toResponse();
    if (!account.equals(key.account())) return forbiddenAccount(instance).toResponse();
    if (!ctx.orders().hasReadSide()) return Problem.unavailable(instance).toResponse();
    return null;
  }

  /** A read-side page as {@code {"items","nextCursor"}}; a cursor the query did not issue is a 400 naming {@code cursor}. */
  private static <R, I> CompletionStage<HttpResponse> page(String instance, String cursor, CompletionStage<io.tickloom.persistence.Page<R>> read,
      Function<R, I> item) {
    return read
        .thenApply(page -> {
          List<I> items = new ArrayList<>(page.items().size());
          for (R row : page.items()) items.add(item.apply(row));
          return Json.ok(new Wire.Items<>(items, page.nextCursor()));
        })
        .exceptionally(e -> {
          Throwable cause = unwrap(e);
          if (cause instanceof IllegalArgumentException && cursor != null) {
            return Problem.invalidParameter(instance, "cursor", "not a cursor this server issued").toResponse();
          }
          throw e instanceof CompletionException ce ? ce : new CompletionException(cause);
        });
  }

  /**
   * {@code GET /api/v1/fills?account=&token=&from=&to=&limit=&cursor=}: the account's executions from the read side (each
   * with its order, venue trade id, price, qty and event time), newest first, keyset-paginated; {@code token} narrows to
   * one instrument, {@code from}/{@code to} bound the event time. {@code account} defaults to the key's; another
   * account is 403, decided before anything is read.
   */
  private CompletionStage<HttpResponse> fills(String instance, Uri uri, ApiKeys.Key key) {
    QueryParams p = new QueryParams(uri.query());
    List<Problem.FieldError> errors = new ArrayList<>();
    String account = accountParam(p, key, errors);
    String tokenText = p.text("token");
    Long token = tokenText == null ? null : p.parseToken("token", tokenText);
    long[] range = p.range();
    int limit = p.limit(ctx.settings().defaultPageLimit(), ctx.settings().maxPageLimit());
    String cursor = p.text("cursor");
    HttpResponse refused = readSideRefusal(instance, p, errors, account, key);
    if (refused != null) return done(refused);
    return page(instance, cursor, ctx.orders().fills(account, token, range[0], range[1], limit, cursor),
        row -> OrderWire.FillItem.from(row, instrument(row.token())));
  }

  /**
   * {@code GET /api/v1/positions?account=}: net qty, average price, realized P&L and, against the instrument's last
   * traded price ({@link io.tickloom.cluster.LiveMarket#lastPrice}), unrealized P&L, per instrument.
   */
  private CompletionStage<HttpResponse> positions(String instance, Uri uri, ApiKeys.Key key) {
    QueryParams p = new QueryParams(uri.query());
    List<Problem.FieldError> errors = new ArrayList<>();
    String account = accountParam(p, key, errors);
    HttpResponse refused = readSideRefusal(instance, p, errors, account, key);
    if (refused != null) return done(refused);
    return ctx.orders().positions(account).thenCompose(list -> {
      List<CompletableFuture<OrderWire.PositionItem>> items = new ArrayList<>(list.size());
      for (var position : list) {
        Instrument in = instrument(position.token());
        items.add(ctx.live().lastPrice(position.token())
            .exceptionally(e -> java.util.OptionalLong.empty())
            .thenApply(last -> OrderWire.PositionItem.from(position, in, last.isPresent() && last.getAsLong() > 0 ? last : java.util.OptionalLong.empty()))
            .toCompletableFuture());
      }
      return CompletableFuture.allOf(items.toArray(CompletableFuture[]::new))
          .thenApply(v -> Json.ok(Wire.Items.of(items.stream().map(CompletableFuture::join).toList())));
    });
  }

  /** {@code account}: absent means the key's own; a malformed one is a field error. */
  private static String accountParam(QueryParams p, ApiKeys.Key key, List<Problem.FieldError> errors) {
    String account = p.text("account");
    if (account == null) return key.account();
    if (!OrderId.validAccount(account)) {
      errors.add(new Problem.FieldError("account", "must match [A-Za-z0-9_-]{1,64}"));
      return key.account();
    }
    return account;
  }

  // ----------------------------------------------------------------------------------------------------------------
  // helpers

  /**
   * A condition that passes by itself (the instrument's entity is moving or just started, the OMS did not answer in
   * time): answered 503 with Retry-After. When raised before the OMS is asked, nothing was recorded.
   */
  static final class Transient extends RuntimeException {
    Transient(String message) {
      super(message, null, false, false);
    }
  }

  /** Seconds a client should wait before retrying a transient refusal. */
  static final long RETRY_AFTER_SECONDS = 1;

  /** Whether the account's pre-trade limits need the instrument's last price to check an order of {@code type}. */
  private boolean needsLastPrice(String account, OrderType type) {
    io.tickloom.cluster.oms.RiskLimits l = ctx.orders().settings().risk().limitsFor(account);
    return type.priced() ? l.priceBandBps() > 0 : l.maxNotional().signum() > 0;
  }

  /**
   * The risk check's market: the instrument entity's last traded price (0 = unknown), and the scales. When the entity
   * does not answer (it is moving to another node, or starting), or knows no price yet while the risk check needs one,
   * the request fails with {@link Transient} before the OMS is asked: a transient condition never becomes a journaled
   * rejection.
   */
  private CompletionStage<RiskCheck.Market> market(Instrument in, boolean priceNeeded) {
    return ctx.live().lastPrice(in.token())
        .handle((last, e) -> {
          if (e != null) {
            log.debug("no last price for {}: {}", in.token(), e.toString());
            throw new CompletionException(new Transient("the last price of instrument " + in.token()
                + " could not be read (its entity is starting or moving to another node); nothing was recorded, retry"));
          }
          if (last.isEmpty() && priceNeeded) {
            throw new CompletionException(new Transient("no last price is known yet for instrument " + in.token()
                + " (no trade since its entity started), and the risk check needs one; nothing was recorded, retry"));
          }
          return new RiskCheck.Market(Math.max(0, last.orElse(0L)), in.priceScale(), in.qtyScale());
        });
  }

  /** A price that is not a whole number of the instrument's ticks is refused (0: no price, nothing to check). */
  private static void onTick(Instrument in, String field, long price) {
    if (in == null || price == 0 || in.tickSize() <= 0 || price % in.tickSize() == 0) return;
    throw new FieldError(field, "not a multiple of the instrument's tick size " + io.tickloom.protocol.Fixed.format(in.tickSize(), in.priceScale()));
  }

  /** The instrument of an order; one missing from the directory (removed since) renders at scale 0. */
  private Instrument instrument(long token) {
    return ctx.instruments().find(token).orElse(null);
  }

  private Wire.OrderDto dto(OrderView o, Instrument known) {
    Instrument in = known != null ? known : instrument(o.token());
    return Wire.OrderDto.from(o, in == null ? 0 : in.priceScale(), in == null ? 0 : in.qtyScale());
  }

  /** An OMS refusal or failure as its problem: 404 unknown order, 422 risk/modify, 409 state, 503 timeout or overload. */
  private static HttpResponse refused(String instance, Throwable e) {
    Throwable cause = unwrap(e);
    if (cause instanceof StatusReply.ErrorMessage) {
      String reason = cause.getMessage();
      if (reason.equals("no such order")) return Problem.notFound(instance, "no such order").toResponse();
      if (reason.startsWith("risk: ") || reason.startsWith("modify: ")) return Problem.orderRefused(instance, reason).toResponse();
      if (reason.startsWith("invalid order: ")) return Problem.invalidBody(instance, "body", reason).toResponse();
      return Problem.conflict(instance, reason).toResponse();
    }
    if (cause instanceof io.tickloom.cluster.oms.InFlightLimit.Overloaded) {
      return Problem.overloaded(instance, cause.getMessage()).toResponse()
          .addHeader(org.apache.pekko.http.javadsl.model.headers.RetryAfter.create(1L));
    }
    if (cause instanceof Transient) {
      return Problem.overloaded(instance, cause.getMessage()).toResponse()
          .addHeader(org.apache.pekko.http.javadsl.model.headers.RetryAfter.create(RETRY_AFTER_SECONDS));
    }
    if (cause instanceof TimeoutException || cause instanceof org.apache.pekko.pattern.AskTimeoutException) {
      log.warn("order request {} timed out: {}", instance, cause.toString());
      return Problem.overloaded(instance, "the OMS did not answer in time. The request may have been recorded: a recorded order "
              + "always reaches the venue; retry with the same clientOrderId to learn its state (nothing is placed twice)")
          .toResponse().addHeader(org.apache.pekko.http.javadsl.model.headers.RetryAfter.create(RETRY_AFTER_SECONDS));
    }
    throw e instanceof CompletionException ce ? ce : new CompletionException(cause);
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) t = t.getCause();
    return t;
  }

  private static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }

  private static JsonNode object(byte[] body) {
    return JsonBodies.object(body);
  }

  private static String text(JsonNode n, String field, boolean required) {
    return BodyFields.text(n, field, 64, required);
  }

  private static <E extends Enum<E>> E enumValue(JsonNode n, String field, Class<E> type, E absent, String allowed) {
    String t = text(n, field, absent == null);
    if (t == null) return absent;
    try {
      return Enum.valueOf(type, t.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new FieldError(field, "expected " + allowed + ", got '" + t + "'");
    }
  }


}
