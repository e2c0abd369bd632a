package io.tickloom.http;

import io.tickloom.persistence.Page;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Gap;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timeframe;
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
 * The market-data part of {@code /api/v1} (SPEC §5): instruments, ticks, candles, gaps. Parameters are validated
 * first (one 400 problem naming every bad parameter), then the token is looked up (404 problem when unknown),
 * then the store is read on {@link HttpContext#blocking()}; a route thread never waits on JDBC.
 */
final class ApiRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);

  private final HttpContext ctx;
  private final HttpSettings settings;
  private final IngestRoutes ingest;

  ApiRoutes(HttpContext ctx) {
    this.ctx = ctx;
    this.settings = ctx.settings();
    this.ingest = new IngestRoutes(ctx);
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
        path(PathMatchers.segment("ingest").slash("ticks"), ingest::ticksRoute));
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
   * Indicator values per bar, computed by the indicator kernels over the stored final bars (latest revisions) up to
   * {@code to}, warmed up on at most {@value #INDICATOR_WARMUP_BARS} bars; with {@code to} open, the forming bar's
   * values last ({@code "final":false}, computed without changing state). An output without a value yet is omitted.
   */
  private CompletionStage<HttpResponse> indicators(Uri uri) {
    QueryParams p = new QueryParams(uri.query());
    long token = p.token();
    Timeframe tf = p.timeframe("tf", Timeframe.M1);
    long[] range = p.range();
    boolean openEnded = !p.present("to");
    int limit = p.limit(settings.defaultPageLimit(), settings.maxPageLimit());
    List<String> names = p.indicatorNames(io.tickloom.protocol.indicators.IndicatorSet.DEFAULT_NAMES, io.tickloom.protocol.indicators.Indicators::parse);
    return withInstrument(uri, p, token, instrument -> {
      var calendar = new io.tickloom.protocol.bars.SessionCalendar(instrument.exchange().hours());
      // Reading the bars and running the kernels over them both happen on the blocking pool, never on a route thread.
      CompletableFuture<IndicatorRun> finals = CompletableFuture.supplyAsync(() -> {
        List<Bar> bars = ctx.bars().bars(token, tf, 0, range[1], INDICATOR_WARMUP_BARS);
        var set = io.tickloom.protocol.indicators.IndicatorSet.of(names);
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
        return new IndicatorRun(set, items, session, bars.isEmpty() ? Long.MIN_VALUE : bars.get(bars.size() - 1).start());
      }, ctx.blocking());
      CompletionStage<Optional<Bar>> forming = forming(token, tf, openEnded);
      return finals.thenCombine(forming, (run, open) -> {
        List<Wire.IndicatorDto> items = run.items();
        Bar f = open.orElse(null);
        if (f != null && f.start() >= range[0] && run.lastStart() < f.start()) {
          double[] values = new double[run.set().outputCount()];
          run.set().peek(f, instrument.priceScale(), instrument.qtyScale(), calendar.sessionStart(f.start()) != run.session(), values);
          items.add(Wire.IndicatorDto.from(f, run.set().outputNames(), values));
        }
        List<Wire.IndicatorDto> page = items.size() > limit ? items.subList(items.size() - limit, items.size()) : items;
        return Json.ok(Wire.Items.of(page));
      });
    });
  }

  /** The indicators after the stored bars: their state (to peek the forming bar), the items, the last session and bar start. */
  private record IndicatorRun(io.tickloom.protocol.indicators.IndicatorSet set, List<Wire.IndicatorDto> items, long session, long lastStart) {}

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
