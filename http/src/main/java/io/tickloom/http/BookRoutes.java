package io.tickloom.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickloom.protocol.Fixed;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.Timestamps;
import io.tickloom.protocol.book.DepthMessage;
import io.tickloom.protocol.format.RawTick;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/book} (SPEC §5, issue 5):
 * <ul>
 *   <li>{@code GET /book/{token}?depth=10}: the live book (asks the owning entity) with its features;
 *   <li>{@code GET /book/{token}/at?ts=&depth=10}: the book as of {@code ts} (ISO-8601 or epoch ms), rebuilt from the
 *       book log on the blocking pool; 404 problem when nothing was stored at or before it;
 *   <li>{@code POST /book/{token}/messages}: a JSON array of depth messages for that instrument (needs an
 *       {@code X-API-Key} with role {@code feed}; used by {@code tickloom import --format lobster}), answered once
 *       the entity has applied them.
 * </ul>
 * Bad parameters give one 400 problem naming each; an unknown token 404; no book service 503.
 */
final class BookRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(BookRoutes.class);
  static final int DEFAULT_DEPTH = 10;
  static final int MAX_DEPTH = 1000;
  static final int MAX_MESSAGES = 100_000;
  /** 100,000 order messages of ~150 bytes (larger snapshots come fewer per batch); refused (413) before it is read beyond. */
  private static final long MAX_BODY_BYTES = 16L << 20;

  private final HttpContext ctx;

  BookRoutes(HttpContext ctx) {
    this.ctx = ctx;
  }

  /** Routes below {@code /api/v1}. */
  Route route() {
    return pathPrefix("book", () -> concat(
        path(PathMatchers.segment(), t -> get(() -> extractUri(uri -> completeWithFuture(current(uri, t))))),
        path(PathMatchers.segment().slash("at"), t -> get(() -> extractUri(uri -> completeWithFuture(at(uri, t))))),
        path(PathMatchers.segment().slash("messages"), t -> post(() -> extractUri(uri -> messagesRoute(uri, t))))));
  }

  private Route messagesRoute(Uri uri, String tokenText) {
    return withKey(ApiRoutes.instance(uri), () -> JsonBodies.body(ApiRoutes.instance(uri), MAX_BODY_BYTES,
        body -> messages(uri, tokenText, body)));
  }

  private static int depth(QueryParams p, Uri uri) {
    Optional<String> v = uri.query().get("depth").map(String::trim).filter(s -> !s.isEmpty());
    if (v.isEmpty()) return DEFAULT_DEPTH;
    try {
      int n = Integer.parseInt(v.get());
      if (n >= 1 && n <= MAX_DEPTH) return n;
    } catch (NumberFormatException e) {
      // reported below
    }
    p.errors().add(new Problem.FieldError("depth", "must be an integer between 1 and " + MAX_DEPTH + ", got '" + v.get() + "'"));
    return DEFAULT_DEPTH;
  }

  private CompletionStage<HttpResponse> current(Uri uri, String tokenText) {
    QueryParams p = new QueryParams(uri.query());
    long token = p.parseToken("token", tokenText);
    int depth = depth(p, uri);
    return withBook(uri, p, token, instrument -> ctx.books().current(token, depth)
        .thenApply(v -> Json.ok(BookWire.from(v, instrument)))
        .exceptionally(e -> {
          log.warn("the book of {} is not available: {}", token, e.toString());
          return Problem.unavailable(ApiRoutes.instance(uri)).toResponse();
        }));
  }

  private CompletionStage<HttpResponse> at(Uri uri, String tokenText) {
    QueryParams p = new QueryParams(uri.query());
    long token = p.parseToken("token", tokenText);
    OptionalLong ts = p.time("ts");
    if (ts.isEmpty() && p.errors().stream().noneMatch(e -> e.field().equals("ts"))) {
      p.errors().add(new Problem.FieldError("ts", "required: the instant, ISO-8601 (2026-01-15T03:45:00.123456Z) or epoch milliseconds"));
    }
    int depth = depth(p, uri);
    return withBook(uri, p, token, instrument -> ctx.books().at(token, ts.getAsLong(), depth).thenApply(v -> v
        .map(b -> Json.ok(BookWire.from(b, instrument)))
        .orElseGet(() -> Problem.notFound(ApiRoutes.instance(uri), "no book of " + token + " is stored at or before "
            + Timestamps.format(ts.getAsLong())).toResponse())));
  }

  private CompletionStage<HttpResponse> withBook(Uri uri, QueryParams p, long token,
      java.util.function.Function<Instrument, CompletionStage<HttpResponse>> body) {
    String instance = ApiRoutes.instance(uri);
    if (!p.valid()) return CompletableFuture.completedFuture(Problem.invalidParameters(instance, p.errors()).toResponse());
    Optional<Instrument> instrument = ctx.instruments().find(token);
    if (instrument.isEmpty()) return CompletableFuture.completedFuture(Problem.unknownInstrument(instance, token).toResponse());
    if (ctx.books() == null) return CompletableFuture.completedFuture(Problem.unavailable(instance).toResponse());
    return body.apply(instrument.get());
  }

  private Route withKey(String instance, java.util.function.Supplier<Route> inner) {
    return optionalHeaderValueByName("X-API-Key", presented -> {
      Optional<ApiKeys.Key> key = ctx.keys().find(presented.orElse(null));
      if (key.isEmpty()) {
        return complete(Problem.unauthorized(instance, presented.isEmpty() ? "this endpoint needs an X-API-Key header" : "unknown API key").toResponse());
      }
      if (!key.get().has("feed")) return complete(Problem.forbidden(instance, "the API key lacks the role 'feed'").toResponse());
      return inner.get();
    });
  }

  /** Answer of {@code POST /book/{token}/messages}. */
  record MessagesReply(int received, int applied, int integrityEvents) {}

  private CompletionStage<HttpResponse> messages(Uri uri, String tokenText, byte[] body) {
    QueryParams p = new QueryParams(uri.query());
    long token = p.parseToken("token", tokenText);
    String instance = ApiRoutes.instance(uri);
    return withBook(uri, p, token, instrument -> {
      List<DepthMessage> batch;
      try {
        batch = parse(token, instrument, body);
      } catch (BadItem e) {
        return CompletableFuture.completedFuture(Problem.invalidBody(instance, e.field, e.getMessage()).toResponse());
      }
      return ctx.books().ingest(batch).thenApply(r -> r.undelivered() > 0
          ? Problem.unavailable(instance).toResponse()
          : Json.ok(new MessagesReply(batch.size(), r.applied(), r.integrityEvents())));
    });
  }

  /** A refused body or item of {@link #parse}: the field at fault ({@code [i].price}, {@code body}) and why. */
  static final class BadItem extends Exception {
    final String field;

    BadItem(String field, String reason) {
      super(reason, null, false, false);
      this.field = field;
    }
  }

  /**
   * The body's messages: a JSON array of objects with {@code ts} (epoch nanoseconds as an integer, or ISO-8601; from
   * 1980, before 2200) and {@code type}: {@code ADD}/{@code CANCEL}/{@code DELETE}/{@code EXECUTE} with
   * {@code orderId}, {@code side} ({@code BUY}/{@code SELL}), {@code price}, {@code size} (decimal strings at the
   * instrument's scales, prices positive); {@code L3_SNAPSHOT} with {@code bids}/{@code asks}
   * ({@code [[price, size], ...]}); {@code L2_SNAPSHOT} with {@code lastUpdateId}, {@code bids}, {@code asks};
   * {@code L2_UPDATE} with {@code firstId}, {@code finalId}, optional {@code previousId}, {@code bids}, {@code asks}
   * (size 0 removes a level).
   */
  static List<DepthMessage> parse(long token, Instrument instrument, byte[] body) throws BadItem {
    List<JsonNode> root;
    try {
      root = JsonBodies.array(body, MAX_MESSAGES, "depth messages");
    } catch (io.tickloom.protocol.format.FieldError e) {
      throw new BadItem(e.field(), e.detail());
    }
    long now = System.currentTimeMillis() * 1_000_000L;
    List<DepthMessage> out = new ArrayList<>(root.size());
    for (int i = 0; i < root.size(); i++) {
      JsonNode n = root.get(i);
      String at = "[" + i + "].";
      if (!n.isObject()) throw new BadItem("[" + i + "]", "not an object");
      long ts = ts(n.get("ts"), at + "ts");
      String type = text(n, "type", at);
      int ps = instrument.priceScale();
      int qs = instrument.qtyScale();
      switch (type) {
        case "ADD", "CANCEL", "DELETE", "EXECUTE" -> {
          long id = integer(n, "orderId", at);
          Side side;
          try {
            side = Side.parse(text(n, "side", at));
          } catch (IllegalArgumentException e) {
            throw new BadItem(at + "side", e.getMessage());
          }
          long price = price(n.get("price"), at + "price", ps);
          long size = decimal(n, "size", qs, at);
          out.add(DepthMessage.order(token, ts, now, DepthMessage.Type.valueOf("L3_" + type), id, side, price, size));
        }
        case "L3_SNAPSHOT", "L2_SNAPSHOT", "L2_UPDATE" -> {
          long[][] bids = levels(n.get("bids"), at + "bids", ps, qs);
          long[][] asks = levels(n.get("asks"), at + "asks", ps, qs);
          if (type.equals("L3_SNAPSHOT")) {
            out.add(DepthMessage.l3Snapshot(token, ts, now, bids[0], bids[1], asks[0], asks[1]));
          } else if (type.equals("L2_SNAPSHOT")) {
            out.add(DepthMessage.l2Snapshot(token, ts, now, integer(n, "lastUpdateId", at), bids[0], bids[1], asks[0], asks[1]));
          } else {
            long prev = n.has("previousId") ? integer(n, "previousId", at) : 0;
            out.add(DepthMessage.l2Update(token, ts, now, integer(n, "firstId", at), integer(n, "finalId", at), prev, bids[0], bids[1],
                asks[0], asks[1]));
          }
        }
        default -> throw new BadItem(at + "type", "must be ADD, CANCEL, DELETE, EXECUTE, L3_SNAPSHOT, L2_SNAPSHOT or L2_UPDATE, got '" + type + "'");
      }
    }
    return out;
  }

  /**
   * An exchange time in [{@link RawTick#MIN_TS}, {@link RawTick#MAX_TS}) as for ticks: the book's clock is the greatest
   * time applied and never goes back, so one message of 2262 (or of 1970, milliseconds taken for nanoseconds) would
   * file every later message of the book under the wrong time.
   */
  private static long ts(JsonNode v, String field) throws BadItem {
    if (v == null || v.isNull()) throw new BadItem(field, "required: epoch nanoseconds or ISO-8601");
    long ts;
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      ts = v.asLong();
    } else if (v.isTextual()) {
      try {
        ts = Timestamps.of(Instant.parse(v.asText()));
      } catch (java.time.DateTimeException | ArithmeticException e) {
        throw new BadItem(field, "not an ISO-8601 instant: '" + v.asText() + "'");
      }
    } else {
      throw new BadItem(field, "must be epoch nanoseconds (integer) or ISO-8601");
    }
    if (ts < RawTick.MIN_TS) throw new BadItem(field, ts + " is before 1980-01-01: ts is epoch nanoseconds (or ISO-8601)");
    if (ts >= RawTick.MAX_TS) throw new BadItem(field, ts + " is a timestamp far in the future (2200 or later)");
    return ts;
  }

  private static String text(JsonNode n, String name, String at) throws BadItem {
    JsonNode v = n.get(name);
    if (v == null || !v.isTextual()) throw new BadItem(at + name, "required text");
    return v.asText();
  }

  private static long integer(JsonNode n, String name, String at) throws BadItem {
    JsonNode v = n.get(name);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) throw new BadItem(at + name, "required integer");
    return v.asLong();
  }

  private static long decimal(JsonNode v, String field, int scale) throws BadItem {
    if (v == null || !(v.isTextual() || v.isNumber())) throw new BadItem(field, "required decimal (a string such as \"585.33\")");
    String text = v.isTextual() ? v.asText() : v.asText();
    try {
      long x = Fixed.parse(text, scale);
      if (x < 0) throw new BadItem(field, "must not be negative: " + text);
      return x;
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new BadItem(field, "not a decimal with at most " + scale + " decimals: '" + text + "'");
    }
  }

  private static long decimal(JsonNode n, String name, int scale, String at) throws BadItem {
    return decimal(n.get(name), at + name, scale);
  }

  /** A price: a decimal that is positive (no book has a level at 0, and LOBSTER's reader refuses one). */
  private static long price(JsonNode v, String field, int scale) throws BadItem {
    long x = decimal(v, field, scale);
    if (x == 0) throw new BadItem(field, "a price must be positive: '" + v.asText() + "'");
    return x;
  }

  private static long[][] levels(JsonNode v, String field, int ps, int qs) throws BadItem {
    if (v == null || v.isNull()) return new long[][] {new long[0], new long[0]};
    if (!v.isArray()) throw new BadItem(field, "must be an array of [price, size] pairs");
    long[] p = new long[v.size()];
    long[] s = new long[v.size()];
    for (int k = 0; k < v.size(); k++) {
      JsonNode level = v.get(k);
      String f = field + "[" + k + "]";
      if (!level.isArray() || level.size() != 2) throw new BadItem(f, "must be a [price, size] pair");
      p[k] = price(level.get(0), f, ps);
      s[k] = decimal(level.get(1), f, qs);
    }
    return new long[][] {p, s};
  }
}
