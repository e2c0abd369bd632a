package io.tickloom.http;

import io.tickloom.cluster.LiveMarket;
import io.tickloom.cluster.MarketEvent;
import io.tickloom.persistence.IndicatorQueries;
import io.tickloom.persistence.Page;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Gap;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.bars.SessionCalendar;
import io.tickloom.protocol.indicators.IndicatorSet;
import io.tickloom.protocol.indicators.Indicators;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The market-data part of {@code /api/v1} (SPEC §5): instruments, ticks, candles, gaps, indicators. Parameters are validated
 * first (one 400 problem naming every bad parameter), then the token is looked up (404 problem when unknown),
 * then the store is read on {@link HttpContext#blocking()}; a route thread never waits on JDBC.
 */
final class ApiRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);

  private final HttpContext ctx;
  private final HttpSettings settings;
  private final IngestRoutes ingest;
  private final OrderRoutes orders;

  ApiRoutes(HttpContext ctx, RateLimits limits) {
    this.ctx = ctx;
    this.settings = ctx.settings();
    this.ingest = new IngestRoutes(ctx);
    this.orders = new OrderRoutes(ctx, limits);
  }

  /** Routes below {@code /api/v1}. */
  Route route() {
    return concat(
        pathPrefix("instruments", () -> concat(
            pathEndOrSingleSlash(() -> concat(get(() -> extractUri(uri -> complete(instruments(uri)))), ingest.instrumentsRoute())),
            path(PathMatchers.segment(), tokenText -> get(() -> extractUri(uri -> complete(instrument(uri, tokenText))))))),
        path("ticks", () -> get(() -> extractUri(uri -> completeWithFuture(ticks(uri))))),
        path("candles", () -> get(() -> extractUri(uri -> completeWithFuture(candles(uri))))),
        path("gaps", () -> get(() -> extractUri(uri -> completeWithFuture(gaps(uri))))),
        path("indicators", () -> get(() -> extractUri(uri -> completeWithFuture(indicators(uri))))),
        path(PathMatchers.segment("ingest").slash("ticks"), ingest::ticksRoute),
        pathPrefix("orders", orders::route));
  }

  static String instance(Uri uri) {
    return uri.rawQueryString().map(q -> uri.path() + '?' + q).orElse(uri.path());
  }

  private HttpResponse instruments(Uri uri) {
    QueryParams p = new QueryParams(uri.query());
    String query = p.text("query");
    int limit = p.limit(settings.defaultInstrumentLimit(), settings.maxInstrumentLimit());
    if (!p.valid()) return Problem.invalidParameters(instance(uri), p.errors()).toResponse();
    List<Wire.InstrumentDto> items = ctx.instruments().search(query == null ? "" : query, limit).stream().map(Wire.InstrumentDto::from).toList();
    return Json.ok(Wire.Items.of(items));
  }

  private HttpResponse instrument(Uri uri, String tokenText) {
    QueryParams p = new QueryParams(uri.query());
    long token = p.parseToken("token", tokenText);
    if (!p.valid()) return Problem.invalidParameters(instance(uri), p.errors()).toResponse();
    return ctx.instruments().find(token)
        .map(i -> Json.ok(Wire.InstrumentDto.from(i)))
        .orElseGet(() -> Problem.unknownInstrument(instance(uri), token).toResponse());
  }

  private CompletionStage<HttpResponse> ticks(Uri uri) {
    QueryParams p = new QueryParams(uri.query());
    long token = p.token();
    long[] range = p.range();
    int limit = p.limit(settings.defaultPageLimit(), settings.maxPageLimit());
    String cursor = p.text("cursor");
    return withInstrument(uri, p, token, instrument -> CompletableFuture.supplyAsync(() -> {
      Page<Tick> page;
      try {
        page = ctx.ticks().page(token, range[0], range[1], limit, cursor);
      } catch (IllegalArgumentException e) {
        if (cursor == null) throw e;
        return Problem.invalidParameter(instance(uri), "cursor", e.getMessage() == null ? "not a cursor this server issued" : e.getMessage()).toResponse();
      }
      List<Wire.TickDto> items = page.items().stream().map(t -> Wire.TickDto.from(t, instrument)).toList();
      return Json.ok(new Wire.Items<>(items, page.nextCursor()));
    }, ctx.blocking()));
  }

  private CompletionStage<HttpResponse> candles(Uri uri) {
    QueryParams p = new QueryParams(uri.query());
    long token = p.token();
    Timeframe tf = p.timeframe("tf", Timeframe.M1);
    long[] range = p.range();
    boolean openEnded = !p.present("to");
    int limit = p.limit(settings.defaultPageLimit(), settings.maxPageLimit());
    return withInstrument(uri, p, token, instrument -> {
      CompletableFuture<List<Bar>> finals = CompletableFuture.supplyAsync(() -> ctx.bars().bars(token, tf, range[0], range[1], limit), ctx.blocking());
      CompletionStage<Optional<Bar>> forming = forming(token, tf, openEnded);
      return finals.thenCombine(forming, (f, open) -> {
        List<Wire.BarDto> items = withForming(f, open, range[0], limit).stream().map(b -> Wire.BarDto.from(b, instrument)).toList();
        return Json.ok(Wire.Items.of(items));
      });
    });
  }

  /** The instrument's forming bar when the range is open-ended (empty when it is closed or the entity cannot answer). */
  private CompletionStage<Optional<Bar>> forming(long token, Timeframe tf, boolean openEnded) {
    if (!openEnded) return CompletableFuture.completedFuture(Optional.empty());
    return ctx.live().formingBar(token, tf).exceptionally(e -> {
      log.debug("no forming bar for {} {}: {}", token, tf.label(), e.toString());
      return Optional.empty();
    });
  }

  /**
   * Final bars (oldest first) followed by the forming bar, unless a final bar already covers its start or it
   * starts before {@code from}; at most {@code limit} bars, the oldest dropped first.
   */
  static List<Bar> withForming(List<Bar> finals, Optional<Bar> forming, long from, int limit) {
    if (forming.isEmpty()) return finals;
    Bar f = forming.get();
    if (f.start() < from) return finals;
    if (!finals.isEmpty() && finals.get(finals.size() - 1).start() >= f.start()) return finals;
    List<Bar> all = new ArrayList<>(finals.size() + 1);
    all.addAll(finals);
    all.add(f);
    return all.size() > limit ? all.subList(all.size() - limit, all.size()) : all;
  }

  /** Stored final bars read before {@code from} to warm the indicators up (SMA_200 needs 200; EMAs decay within ten periods). */
  static final int INDICATOR_WARMUP_BARS = 20_000;

  /**
   * Indicator values per bar of {@code [from, to)}, the newest {@code limit}, oldest first; with {@code to} open the
   * forming bar's values last ({@code "final":false}). An output without a value yet is omitted.
   *
   * <p>When the node computes every requested indicator ({@link HttpSettings#nodeIndicators()}), the answer is the
   * confirmed values the instrument entities stored ({@link HttpContext#indicators()}) and the forming values the
   * entity holds ({@link io.tickloom.cluster.LiveMarket#formingIndicators}). Otherwise the kernels run over the stored
   * final bars (latest revisions) up to {@code to}, warmed up on at most {@value #INDICATOR_WARMUP_BARS} bars, and
   * the forming bar is peeked without changing their state.
   */
  private CompletionStage<HttpResponse> indicators(Uri uri) {
    QueryParams p = new QueryParams(uri.query());
    long token = p.token();
    Timeframe tf = p.timeframe("tf", Timeframe.M1);
    long[] range = p.range();
    boolean openEnded = !p.present("to");
    int limit = p.limit(settings.defaultPageLimit(), settings.maxPageLimit());
    List<String> names = p.indicatorNames(IndicatorSet.DEFAULT_NAMES, n -> Indicators.parse(n).name());
    return withInstrument(uri, p, token, instrument -> {
      IndicatorSet requested = IndicatorSet.of(names);
      return settings.nodeIndicators().containsAll(requested.names())
          ? storedIndicators(token, tf, range, openEnded, limit, requested.outputNames())
          : computedIndicators(instrument, tf, range, openEnded, limit, requested);
    });
  }

  /** The stored confirmed values of {@code outputs}, then the entity's forming values when the range is open-ended. */
  private CompletionStage<HttpResponse> storedIndicators(long token, Timeframe tf, long[] range, boolean openEnded, int limit,
      List<String> outputs) {
    CompletableFuture<List<IndicatorQueries.IndicatorRow>> rows =
        CompletableFuture.supplyAsync(() -> ctx.indicators().indicators(token, tf, range[0], range[1], limit), ctx.blocking());
    CompletionStage<Optional<MarketEvent.IndicatorUpdate>> forming = openEnded
        ? formingIndicators(ctx.live(), token, tf)
        : CompletableFuture.completedFuture(Optional.empty());
    return rows.thenCombine(forming, (stored, open) -> {
      List<Wire.IndicatorDto> items = new ArrayList<>(stored.size() + 1);
      for (IndicatorQueries.IndicatorRow r : stored) {
        items.add(Wire.IndicatorDto.of(token, tf, r.start(), true, outputs, select(outputs, r.names(), r.values())));
      }
      long lastStart = stored.isEmpty() ? Long.MIN_VALUE : stored.get(stored.size() - 1).start();
      if (open.isPresent() && open.get().start() >= range[0] && open.get().start() > lastStart) {
        MarketEvent.IndicatorUpdate f = open.get();
        items.add(Wire.IndicatorDto.of(token, tf, f.start(), false, outputs, select(outputs, f.names(), f.values())));
      }
      return Json.ok(Wire.Items.of(items.size() > limit ? items.subList(items.size() - limit, items.size()) : items));
    });
  }

  /** The forming bar's indicator values, empty when there are none or the entity cannot answer. */
  static CompletionStage<Optional<MarketEvent.IndicatorUpdate>> formingIndicators(LiveMarket live, long token, Timeframe tf) {
    return live.formingIndicators(token, tf).exceptionally(e -> {
      log.debug("no forming indicator values for {} {}: {}", token, tf.label(), e.toString());
      return Optional.empty();
    });
  }

  /** The values of {@code outputs} out of ({@code names}, {@code values}); NaN for an output not among them. */
  static double[] select(List<String> outputs, List<String> names, double[] values) {
    double[] out = new double[outputs.size()];
    for (int i = 0; i < out.length; i++) {
      int k = names.indexOf(outputs.get(i));
      out[i] = k < 0 ? Double.NaN : values[k];
    }
    return out;
  }

  /** The kernels over the stored final bars, then the forming bar peeked. */
  private CompletionStage<HttpResponse> computedIndicators(Instrument instrument, Timeframe tf, long[] range, boolean openEnded, int limit,
      IndicatorSet set) {
    long token = instrument.token();
    SessionCalendar calendar = new SessionCalendar(instrument.exchange().hours());
    // Reading the bars and running the kernels over them both happen on the blocking pool, never on a route thread.
    CompletableFuture<IndicatorRun> finals = CompletableFuture.supplyAsync(() -> {
      List<Bar> bars = ctx.bars().bars(token, tf, 0, range[1], INDICATOR_WARMUP_BARS);
      double[] values = new double[set.outputCount()];
      List<Wire.IndicatorDto> items = new ArrayList<>();
      long session = Long.MIN_VALUE;
      for (Bar b : bars) {
        long s = calendar.sessionStart(b.start());
        set.update(b, instrument.priceScale(), instrument.qtyScale(), s != session);
        session = s;
        if (b.start() < range[0]) continue;
        set.values(values);
        items.add(Wire.IndicatorDto.from(b, set.outputNames(), values));
      }
      return new IndicatorRun(items, session, bars.isEmpty() ? Long.MIN_VALUE : bars.get(bars.size() - 1).start());
    }, ctx.blocking());
    CompletionStage<Optional<Bar>> forming = forming(token, tf, openEnded);
    return finals.thenCombine(forming, (run, open) -> {
      List<Wire.IndicatorDto> items = run.items();
      Bar f = open.orElse(null);
      if (f != null && f.start() >= range[0] && run.lastStart() < f.start()) {
        double[] values = new double[set.outputCount()];
        set.peek(f, instrument.priceScale(), instrument.qtyScale(), calendar.sessionStart(f.start()) != run.session(), values);
        items.add(Wire.IndicatorDto.from(f, set.outputNames(), values));
      }
      List<Wire.IndicatorDto> page = items.size() > limit ? items.subList(items.size() - limit, items.size()) : items;
      return Json.ok(Wire.Items.of(page));
    });
  }

  /** The items after the stored bars, the last session and bar start (to peek the forming bar). */
  private record IndicatorRun(List<Wire.IndicatorDto> items, long session, long lastStart) {}

  private CompletionStage<HttpResponse> gaps(Uri uri) {
    QueryParams p = new QueryParams(uri.query());
    long token = p.token();
    long[] range = p.range();
    int limit = p.limit(settings.defaultPageLimit(), settings.maxPageLimit());
    return withInstrument(uri, p, token, instrument -> CompletableFuture.supplyAsync(() -> {
      List<Gap> gaps = ctx.gaps().gaps(token, range[0], range[1], limit);
      return Json.ok(Wire.Items.of(gaps.stream().map(Wire.GapDto::from).toList()));
    }, ctx.blocking()));
  }

  private CompletionStage<HttpResponse> withInstrument(
      Uri uri, QueryParams p, long token, Function<Instrument, CompletionStage<HttpResponse>> body) {
    if (!p.valid()) return CompletableFuture.completedFuture(Problem.invalidParameters(instance(uri), p.errors()).toResponse());
    Optional<Instrument> instrument = ctx.instruments().find(token);
    if (instrument.isEmpty()) return CompletableFuture.completedFuture(Problem.unknownInstrument(instance(uri), token).toResponse());
    return body.apply(instrument.get());
  }
}
