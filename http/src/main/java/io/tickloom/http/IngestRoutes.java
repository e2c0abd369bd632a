package io.tickloom.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickloom.cluster.IngestGate;
import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.OptionType;
import io.tickloom.protocol.format.FieldError;
import io.tickloom.protocol.format.RawTick;
import io.tickloom.protocol.format.RawTickJson;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.util.ByteString;

/**
 * The write side of market data: {@code POST /api/v1/ingest/ticks} (SPEC §5, a batch of raw ticks of SPEC §8, for
 * webhook-style feeds and {@code tickloom import}) and {@code POST /api/v1/instruments} (instrument master import).
 * Both need an {@code X-API-Key} with role {@code feed} (or {@code admin}): 401 without a valid key, 403 without the
 * role. A body that is not a JSON array, or holds more than {@value #MAX_ITEMS} items, is refused whole (400). Items
 * are validated one by one: the good ones are ingested, each bad one is reported with its index, field and reason
 * (200 with {@code errors}). When the pipeline is saturated nothing is taken: 429 with {@code Retry-After}. The answer
 * comes once the accepted ticks are durably stored.
 */
final class IngestRoutes extends AllDirectives {
  static final int MAX_ITEMS = 10_000;
  /** 10,000 raw ticks of ~250 bytes; a larger body is refused (413) before it is read. */
  static final long MAX_BODY_BYTES = 4L << 20;
  /** 10,000 instruments of ~400 bytes. */
  static final long MAX_INSTRUMENT_BODY_BYTES = 8L << 20;

  /** The answer to an ingest batch. {@code stored}: rows new to the store (a re-sent batch stores 0). */
  record IngestReply(int received, int accepted, int stored, int duplicates, int rejected, List<ItemError> errors) {}

  record ItemError(int index, String field, String reason) {}

  record InstrumentsReply(int received, int stored, int rejected, List<ItemError> errors) {}

  private final HttpContext ctx;

  IngestRoutes(HttpContext ctx) {
    this.ctx = ctx;
  }

  Route ticksRoute() {
    return post(() -> extractUri(uri -> withKey(ApiRoutes.instance(uri), key -> parameterOptional("feed", feedParam -> {
      if (feedParam.isPresent() && !feedParam.get().equals("import")) {
        return complete(Problem.invalidParameter(ApiRoutes.instance(uri), "feed", "only 'import' may be given here (items carry primary/secondary)").toResponse());
      }
      io.tickloom.protocol.Feed feed = feedParam.isPresent() ? io.tickloom.protocol.Feed.IMPORT : null;
      String instance = ApiRoutes.instance(uri);
      return JsonBodies.body(instance, MAX_BODY_BYTES, body -> ingest(instance, body, feed).exceptionally(e -> saturated(instance, e)));
    }))));
  }

  Route instrumentsRoute() {
    return post(() -> extractUri(uri -> withKey(ApiRoutes.instance(uri), key ->
        JsonBodies.body(ApiRoutes.instance(uri), MAX_INSTRUMENT_BODY_BYTES, body -> instruments(ApiRoutes.instance(uri), body)))));
  }

  private Route withKey(String instance, Function<ApiKeys.Key, Route> inner) {
    return optionalHeaderValueByName("X-API-Key", presented -> {
      Optional<ApiKeys.Key> key = ctx.keys().find(presented.orElse(null));
      if (key.isEmpty()) {
        return complete(Problem.unauthorized(instance, presented.isEmpty() ? "this endpoint needs an X-API-Key header" : "unknown API key").toResponse());
      }
      if (!key.get().has("feed")) return complete(Problem.forbidden(instance, "the API key lacks the role 'feed'").toResponse());
      if (ctx.ingest() == null) return complete(Problem.unavailable(instance).toResponse());
      return inner.apply(key.get());
    });
  }

  private static HttpResponse saturated(String instance, Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof IngestGate.Saturated) {
      return Problem.tooManyRequests(instance).toResponse().addHeader(RawHeader.create("Retry-After", "1"));
    }
    throw e instanceof CompletionException ce ? ce : new CompletionException(cause);
  }

  private CompletionStage<HttpResponse> ingest(String instance, byte[] body, io.tickloom.protocol.Feed feed) {
    List<RawTickJson.Item> items;
    try {
      items = RawTickJson.parseArray(body, MAX_ITEMS);
    } catch (FieldError e) {
      return CompletableFuture.completedFuture(Problem.invalidBody(instance, e.field().isEmpty() ? "body" : e.field(), e.detail()).toResponse());
    }
    List<RawTick> good = new ArrayList<>(items.size());
    List<Integer> goodIndex = new ArrayList<>(items.size());
    List<ItemError> errors = new ArrayList<>();
    for (RawTickJson.Item item : items) {
      if (item.error() != null) errors.add(new ItemError(item.index(), item.error().field(), item.error().detail()));
      else {
        good.add(item.tick());
        goodIndex.add(item.index());
      }
    }
    if (good.isEmpty()) {
      return CompletableFuture.completedFuture(Json.ok(new IngestReply(items.size(), 0, 0, 0, errors.size(), errors)));
    }
    return ctx.ingest().submit(good, feed).thenApply(reply -> {
      for (IngestGate.ItemResult r : reply.items()) {
        if (r.outcome().equals("rejected")) errors.add(new ItemError(goodIndex.get(r.index()), r.field() == null ? "" : r.field(), r.reason()));
      }
      errors.sort(java.util.Comparator.comparingInt(ItemError::index));
      return Json.ok(new IngestReply(items.size(), reply.accepted(), reply.stored(), reply.duplicates(), errors.size(), errors));
    });
  }

  private CompletionStage<HttpResponse> instruments(String instance, byte[] body) {
    List<JsonNode> root;
    try {
      root = JsonBodies.array(body, MAX_ITEMS, "instruments");
    } catch (FieldError e) {
      return CompletableFuture.completedFuture(Problem.invalidBody(instance, e.field(), e.detail()).toResponse());
    }
    List<Instrument> good = new ArrayList<>();
    List<ItemError> errors = new ArrayList<>();
    // This request's good items by EXCHANGE:SYMBOL, and the keys its renames free; the rest is the directory's.
    Map<String, Long> claimed = new HashMap<>();
    Set<String> released = new HashSet<>();
    Set<Long> tokensSeen = new HashSet<>();
    for (int i = 0; i < root.size(); i++) {
      try {
        Instrument in = instrument(root.get(i));
        fitsTheMaster(in, claimed, released, tokensSeen);
        good.add(in);
      } catch (FieldError e) {
        errors.add(new ItemError(i, e.field(), e.detail()));
      }
    }
    int n = root.size();
    return CompletableFuture.supplyAsync(() -> {
      try {
        ctx.ingest().registerInstruments(good);
      } catch (io.tickloom.persistence.PersistenceException e) {
        // Another node registered one of these symbols under another token moments ago (this node learns of it
        // within tickloom.cluster.instrument-refresh): nothing of the batch was written.
        return Problem.conflict(instance, "the instrument master changed concurrently (" + rootMessage(e)
            + "); nothing of this request was stored, retry it").toResponse();
      }
      return Json.ok(new InstrumentsReply(n, good.size(), errors.size(), errors));
    }, ctx.blocking());
  }

  /**
   * Refuses an item the instrument master cannot take as it is: a token already given in this request, an
   * {@code EXCHANGE:SYMBOL} another token holds (the store keeps one token per exchange and symbol: one such item
   * would fail the whole batch), or a known instrument with another price or quantity scale (its stored ticks and
   * bars are fixed-point at the old scale, which would silently rescale them). Looks keys up in the directory (no
   * scan of the master per request). On success records the item in {@code claimed} and {@code tokensSeen}.
   */
  private void fitsTheMaster(Instrument in, Map<String, Long> claimed, Set<String> released, Set<Long> tokensSeen) {
    if (tokensSeen.contains(in.token())) throw new FieldError("token", "token " + in.token() + " is given twice in this request");
    Long holder = claimed.get(in.key());
    if (holder == null && !released.contains(in.key())) holder = ctx.instruments().find(in.key()).map(Instrument::token).orElse(null);
    if (holder != null && holder != in.token()) throw new FieldError("symbol", in.key() + " is already instrument " + holder);
    Optional<Instrument> known = ctx.instruments().find(in.token());
    if (known.isPresent()) {
      Instrument k = known.get();
      if (k.priceScale() != in.priceScale()) {
        throw new FieldError("priceScale", "instrument " + in.token() + " has price scale " + k.priceScale()
            + ", which cannot change: its stored prices are fixed-point at that scale");
      }
      if (k.qtyScale() != in.qtyScale()) {
        throw new FieldError("qtyScale", "instrument " + in.token() + " has quantity scale " + k.qtyScale()
            + ", which cannot change: its stored quantities are fixed-point at that scale");
      }
      if (!k.key().equals(in.key()) && claimed.getOrDefault(k.key(), in.token()) == in.token()) {
        claimed.remove(k.key());
        released.add(k.key()); // renamed: its old symbol is free for another item of this request
      }
    }
    tokensSeen.add(in.token());
    claimed.put(in.key(), in.token());
    released.remove(in.key());
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) t = t.getCause();
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }

  /** An instrument in the shape {@code GET /api/v1/instruments/{token}} answers. */
  static Instrument instrument(JsonNode n) {
    if (n == null || !n.isObject()) throw new FieldError("", "expected an object");
    long token = BodyFields.positiveLong(n, "token");
    Exchange exchange;
    try {
      exchange = Exchange.parse(text(n, "exchange", true));
    } catch (IllegalArgumentException e) {
      throw new FieldError("exchange", e.getMessage());
    }
    String symbol = symbol(n, "symbol", true);
    InstrumentKind kind;
    try {
      kind = InstrumentKind.valueOf(text(n, "kind", true).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new FieldError("kind", "unknown kind (EQ, IDX, FUT, OPT, SPOT)");
    }
    int priceScale = scale(n, "priceScale");
    int qtyScale = scale(n, "qtyScale");
    long tickSize = BodyFields.decimal(n, "tickSize", priceScale, true);
    long lotSize = BodyFields.decimal(n, "lotSize", qtyScale, true);
    if (tickSize <= 0) throw new FieldError("tickSize", "must be positive");
    if (lotSize <= 0) throw new FieldError("lotSize", "must be positive");
    String expiryText = text(n, "expiry", false);
    LocalDate expiry;
    try {
      expiry = expiryText == null ? null : LocalDate.parse(expiryText);
    } catch (java.time.format.DateTimeParseException e) {
      throw new FieldError("expiry", "expected YYYY-MM-DD, got '" + expiryText + "'");
    }
    long strike = n.hasNonNull("strike") ? BodyFields.decimal(n, "strike", priceScale, false) : 0;
    String ot = text(n, "optionType", false);
    OptionType optionType;
    try {
      optionType = ot == null ? null : OptionType.valueOf(ot.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new FieldError("optionType", "CE or PE");
    }
    try {
      return new Instrument(token, exchange, symbol, kind, tickSize, lotSize, priceScale, qtyScale, symbol(n, "underlying", false), expiry,
          strike, optionType);
    } catch (IllegalArgumentException e) {
      throw new FieldError("", e.getMessage());
    }
  }

  private static String text(JsonNode n, String field, boolean required) {
    String s = BodyFields.text(n, field, 64, required);
    return s == null ? null : s.trim();
  }

  /** Symbols (and underlyings): ASCII letters and digits first, then also space and {@code & . _ : / + ' ( ) -}. */
  static final java.util.regex.Pattern SYMBOL = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9 &._:/+'()-]{0,63}");

  private static String symbol(JsonNode n, String field, boolean required) {
    String s = text(n, field, required);
    if (s != null && !SYMBOL.matcher(s).matches()) {
      throw new FieldError(field, "'" + s + "' is not a symbol: ASCII letters and digits, then also space & . _ : / + ' ( ) -, at most 64");
    }
    return s;
  }


  private static int scale(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0 || v.asInt() > 12) throw new FieldError(field, "expected an integer 0..12");
    return v.asInt();
  }

}
