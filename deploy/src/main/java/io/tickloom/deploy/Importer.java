package io.tickloom.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickloom.http.Json;
import io.tickloom.http.Wire;
import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Fixed;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.format.BinanceAggTrades;
import io.tickloom.protocol.format.BinanceTrades;
import io.tickloom.protocol.format.FieldError;
import io.tickloom.protocol.format.FormatException;
import io.tickloom.protocol.format.KiteInstruments;
import io.tickloom.protocol.format.RawTick;
import io.tickloom.protocol.format.RawTickJson;
import io.tickloom.protocol.format.Scales;
import io.tickloom.protocol.format.TickReader;
import io.tickloom.protocol.format.TicksCsv;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tickloom import} (SPEC §7): streams a file into a running node's ingest path over HTTP ({@code POST
 * /api/v1/ingest/ticks?feed=import}, or {@code POST /api/v1/instruments} for an instrument master), so imported ticks
 * go through the same dedupe, sequencing, bars and storage as live ones. One batch in flight at a time, in file order
 * (an instrument's ticks reach its entity in order); the node's answer comes after the batch is stored, so the import
 * runs exactly as fast as the node can take it. A saturated node (429) is retried after a pause. Rows the file parser
 * refuses and items the node refuses are reported with their line numbers; the others go in. Importing a file again
 * stores nothing twice: the entities drop the repeats, the tick store absorbs any that reach it.
 */
final class Importer {
  static final int BATCH = 10_000;
  private static final int MAX_LISTED = 50;

  enum Format {
    BINANCE_TRADES("binance-trades"), BINANCE_AGGTRADES("binance-aggtrades"), TICKS_CSV("ticks-csv"), KITE_INSTRUMENTS("kite-instruments"),
    LOBSTER("lobster");

    final String label;

    Format(String label) {
      this.label = label;
    }

    static Format parse(String s) {
      for (Format f : values()) if (f.label.equalsIgnoreCase(s.trim())) return f;
      throw new IllegalArgumentException("unknown format '" + s + "' (binance-trades, binance-aggtrades, ticks-csv, kite-instruments, lobster)");
    }
  }

  /** What an import did. {@code stored} counts rows new to the store; {@code duplicates} rows already there. */
  static final class Summary {
    long read;
    long accepted;
    long stored;
    long duplicates;
    long rejected;
    final List<String> rejects = new ArrayList<>();
    /** A line of format-specific figures, or null. */
    String note;
    long nanos;

    synchronized void reject(String where) {
      rejected++;
      if (rejects.size() < MAX_LISTED) rejects.add(where);
    }

    String text(String what) {
      double s = nanos / 1e9;
      StringBuilder sb = new StringBuilder();
      sb.append(String.format("%s: %,d rows read, %,d accepted, %,d stored, %,d duplicates, %,d rejected in %.1f s (%,.0f rows/s)%n",
          what, read, accepted, stored, duplicates, rejected, s, s > 0 ? read / s : 0.0));
      if (note != null) sb.append(note).append(System.lineSeparator());
      if (!rejects.isEmpty()) {
        sb.append("rejected rows:").append(System.lineSeparator());
        for (String r : rejects) sb.append("  ").append(r).append(System.lineSeparator());
        if (rejected > rejects.size()) sb.append(String.format("  ... and %,d more%n", rejected - rejects.size()));
      }
      return sb.toString();
    }
  }

  /** The node could not be reached or answered something other than the protocol expects. */
  static final class ImportFailure extends RuntimeException {
    ImportFailure(String message) {
      super(message);
    }
  }

  private final URI base;
  private final String key;
  private final PrintStream err;
  private final boolean progress;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final Map<Long, Scales> scales = new HashMap<>();

  Importer(URI base, String key, PrintStream err, boolean progress) {
    this.base = base;
    this.key = key;
    this.err = err;
    this.progress = progress;
  }

  Summary run(Format format, List<Path> files, String symbol, Exchange exchange) throws IOException {
    if ((format == Format.BINANCE_TRADES || format == Format.BINANCE_AGGTRADES) && (symbol == null || symbol.isBlank())) {
      throw new IllegalArgumentException("--symbol is required for " + format.label + " (the file does not name its symbol), e.g. --symbol BTCUSDT");
    }
    Summary summary = new Summary();
    long started = System.nanoTime();
    long totalBytes = 0;
    for (Path f : files) totalBytes += Files.size(f);
    Progress bar = new Progress(totalBytes);
    for (Path file : files) {
      try (Counting in = new Counting(Files.newInputStream(file), bar);
          Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        String name = file.getFileName().toString();
        if (format == Format.KITE_INSTRUMENTS) importInstruments(new KiteInstruments(reader, name), name, summary, bar);
        else importTicks(format, reader, name, symbol, exchange, summary, bar);
      }
    }
    bar.done();
    summary.nanos = System.nanoTime() - started;
    return summary;
  }

  /**
   * {@code --format lobster}: one LOBSTER message file as the order-level feed of {@code exchange:symbol} (created as an
   * instrument with LOBSTER's scales, price 4 decimals, whole shares, when the node does not know it). Messages go to
   * {@code POST /api/v1/book/{token}/messages} through {@link io.tickloom.protocol.book.LobsterDepth.Feed} (with
   * {@code snapshot}, the matching orderbook file: the book is seeded from its first row and resynced from it
   * whenever the level-N file leaves the book behind, see there), in batches, one in flight, in file order. Visible
   * and hidden executions (types 4 and 5) also become trades of the instrument ({@code POST /api/v1/ingest/ticks}, feed
   * {@code import}): price and size of the execution, the aggressor the side opposite the resting order, {@code seq}
   * the execution's number in the file, so bars and the tick store see the day's trades. Counts: {@code read} rows,
   * {@code accepted} book messages applied, {@code stored} trades stored.
   */
  Summary runLobster(Path messages, Path snapshot, String symbol, Exchange exchange, java.time.LocalDate date) throws IOException {
    if (symbol == null || symbol.isBlank()) throw new IllegalArgumentException("--symbol is required for lobster (e.g. --symbol AMZN)");
    if (date == null) throw new IllegalArgumentException("--date is required for lobster: its times are seconds after midnight (e.g. --date 2012-06-21)");
    Summary summary = new Summary();
    long started = System.nanoTime();
    long token = lobsterInstrument(exchange, symbol);
    long midnight = io.tickloom.protocol.Timestamps.of(date.atStartOfDay(exchange.hours().zone()).toInstant());
    String name = messages.getFileName().toString();
    Progress bar = new Progress(Files.size(messages));
    List<io.tickloom.protocol.book.DepthMessage> out = new ArrayList<>();
    List<String> book = new ArrayList<>(BATCH);
    List<String> trades = new ArrayList<>(BATCH);
    long executions = 0;
    long[] integrity = {0};
    try (Counting in = new Counting(Files.newInputStream(messages), bar);
        Reader mr = new InputStreamReader(in, StandardCharsets.US_ASCII);
        Reader or = snapshot == null ? null : Files.newBufferedReader(snapshot, StandardCharsets.US_ASCII)) {
      io.tickloom.protocol.format.LobsterMessages rows = new io.tickloom.protocol.format.LobsterMessages(mr, name);
      io.tickloom.protocol.format.LobsterOrderbook orderbook =
          or == null ? null : new io.tickloom.protocol.format.LobsterOrderbook(or, snapshot.getFileName().toString(), 0);
      io.tickloom.protocol.book.LobsterDepth.Feed feed = new io.tickloom.protocol.book.LobsterDepth.Feed(rows, orderbook, token, midnight);
      while (true) {
        try {
          if (!feed.next(out, System.currentTimeMillis() * 1_000_000L)) break;
        } catch (FormatException e) {
          // a malformed row is reported and skipped; an orderbook file out of step ends the import
          summary.read++;
          summary.reject(e.getMessage());
          if (e.getMessage().contains("fewer rows")) break;
          continue;
        }
        summary.read++;
        for (io.tickloom.protocol.book.DepthMessage d : out) book.add(Json.write(lobsterItem(d)));
        out.clear();
        int type = rows.type();
        if (type == io.tickloom.protocol.format.LobsterMessages.EXECUTE_VISIBLE || type == io.tickloom.protocol.format.LobsterMessages.EXECUTE_HIDDEN) {
          executions++;
          trades.add(RawTickJson.write(new RawTick(token, null, null, midnight + rows.timeNanos(), Fixed.formatPlain(rows.price(), 4),
              Long.toString(rows.size()), executions, Tick.NO_TRADE_ID, io.tickloom.protocol.book.LobsterDepth.aggressor(rows.side()), null,
              null, null)));
        }
        if (book.size() >= BATCH) {
          sendLobster(token, book, trades, summary, integrity);
          bar.show(summary);
        }
      }
      sendLobster(token, book, trades, summary, integrity);
      bar.show(summary);
      summary.note = String.format("%s: %,d book messages applied, %,d integrity events, %,d resyncs from the orderbook file, %,d trades",
          symbol, summary.accepted, integrity[0], feed.resyncs(), executions);
    }
    bar.done();
    summary.nanos = System.nanoTime() - started;
    return summary;
  }

  /** The wire item of {@code POST /api/v1/book/{token}/messages} for {@code d} (LOBSTER scales: price 4, size 0). */
  private static Map<String, Object> lobsterItem(io.tickloom.protocol.book.DepthMessage d) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("ts", d.exchangeTs());
    if (d.type() == io.tickloom.protocol.book.DepthMessage.Type.L3_SNAPSHOT) {
      m.put("type", "L3_SNAPSHOT");
      m.put("bids", pairs(d.bidPrices(), d.bidSizes()));
      m.put("asks", pairs(d.askPrices(), d.askSizes()));
    } else {
      m.put("type", d.type().name().substring(3));
      m.put("orderId", d.orderId());
      m.put("side", d.side().name());
      m.put("price", Fixed.formatPlain(d.price(), 4));
      m.put("size", Long.toString(d.size()));
    }
    return m;
  }

  private static List<List<String>> pairs(long[] p, long[] s) {
    List<List<String>> out = new ArrayList<>(p.length);
    for (int i = 0; i < p.length; i++) out.add(List.of(Fixed.formatPlain(p[i], 4), Long.toString(s[i])));
    return out;
  }

  /** Sends the book batch (answered once applied), then the trades of the same rows; clears both. */
  private void sendLobster(long token, List<String> book, List<String> trades, Summary summary, long[] integrity) {
    if (!book.isEmpty()) {
      JsonNode reply = post("/api/v1/book/" + token + "/messages", book);
      summary.accepted += reply.path("applied").asLong();
      integrity[0] += reply.path("integrityEvents").asLong();
      book.clear();
    }
    if (!trades.isEmpty()) {
      JsonNode reply = post("/api/v1/ingest/ticks?feed=import", trades);
      summary.stored += reply.path("stored").asLong();
      summary.duplicates += reply.path("duplicates").asLong();
      for (JsonNode e : reply.path("errors")) summary.reject("trade: " + e.path("field").asText("") + ": " + e.path("reason").asText());
      trades.clear();
    }
  }

  /** The token of {@code exchange:symbol}, registering the instrument with LOBSTER's scales when the node lacks it. */
  private long lobsterInstrument(Exchange exchange, String symbol) {
    long token = io.tickloom.cluster.InstrumentResolver.tokenFor(exchange, symbol);
    Scales known = scalesOf(token);
    if (known == null) {
      Instrument i = new Instrument(token, exchange, symbol, io.tickloom.protocol.InstrumentKind.EQ, 100, 1, 4, 0, null, null, 0, null);
      post("/api/v1/instruments", List.of(Json.write(Wire.InstrumentDto.from(i))));
      scales.remove(token);
    } else if (known.priceScale() != 4 || known.qtyScale() != 0) {
      throw new IllegalArgumentException(exchange + ":" + symbol + " (token " + token + ") exists with price scale " + known.priceScale()
          + " and quantity scale " + known.qtyScale() + "; LOBSTER needs 4 and 0");
    }
    return token;
  }

  private void importTicks(Format format, Reader reader, String name, String symbol, Exchange exchange, Summary summary, Progress bar)
      throws IOException {
    Scales binance = Scales.BINANCE_SPOT;
    TickReader ticks = switch (format) {
      case BINANCE_TRADES -> new BinanceTrades(reader, name, 0, binance);
      case BINANCE_AGGTRADES -> new BinanceAggTrades(reader, name, 0, binance);
      case TICKS_CSV -> new TicksCsv(reader, name, this::scalesOf);
      default -> throw new IllegalStateException();
    };
    List<String> items = new ArrayList<>(BATCH);
    List<Long> lines = new ArrayList<>(BATCH);
    while (true) {
      Tick t;
      try {
        t = ticks.next();
      } catch (FormatException e) {
        summary.read++;
        summary.reject(name + ":" + e.line() + ": " + e.reason());
        continue;
      }
      if (t == null) break;
      summary.read++;
      RawTick raw;
      try {
        if (format == Format.TICKS_CSV) {
          Scales s = scales.get(t.token());
          raw = new RawTick(t.token(), null, null, t.exchangeTs(), Fixed.formatPlain(t.price(), s.priceScale()), Fixed.formatPlain(t.qty(), s.qtyScale()),
              t.seq(), t.tradeId(), t.side(), null, null, null);
        } else {
          raw = new RawTick(0, exchange, symbol, t.exchangeTs(), Fixed.formatPlain(t.price(), binance.priceScale()),
              Fixed.formatPlain(t.qty(), binance.qtyScale()), t.seq(), t.tradeId(), t.side(), null, null, null);
        }
      } catch (FieldError e) {
        summary.reject(name + ":" + ticks.line() + ": " + e.getMessage());
        continue;
      }
      items.add(RawTickJson.write(raw));
      lines.add(ticks.line());
      if (items.size() == BATCH) {
        sendTicks(items, lines, name, summary);
        items.clear();
        lines.clear();
        bar.show(summary);
      }
    }
    if (!items.isEmpty()) sendTicks(items, lines, name, summary);
    awaitInFlight();
    bar.show(summary);
  }

  private void importInstruments(KiteInstruments rows, String name, Summary summary, Progress bar) {
    List<String> items = new ArrayList<>(BATCH);
    List<Long> lines = new ArrayList<>(BATCH);
    while (true) {
      Instrument i;
      try {
        i = rows.next();
      } catch (FormatException e) {
        summary.read++;
        summary.reject(name + ":" + e.line() + ": " + e.reason());
        continue;
      }
      if (i == null) break;
      summary.read++;
      items.add(Json.write(Wire.InstrumentDto.from(i)));
      lines.add(rows.line());
      if (items.size() == BATCH) {
        sendInstruments(items, lines, name, summary);
        items.clear();
        lines.clear();
        bar.show(summary);
      }
    }
    if (!items.isEmpty()) sendInstruments(items, lines, name, summary);
  }

  /**
   * Sends a batch on the sender thread once the previous one was answered: one request in flight at a time (an
   * instrument's ticks reach the node in file order), while this thread reads and encodes the next batch.
   */
  private void sendTicks(List<String> items, List<Long> lines, String name, Summary summary) {
    List<String> batch = List.copyOf(items);
    List<Long> batchLines = List.copyOf(lines);
    awaitInFlight();
    inFlight = sender.submit(() -> {
      JsonNode reply = post("/api/v1/ingest/ticks?feed=import", batch);
      synchronized (summary) {
        summary.accepted += reply.path("accepted").asLong();
        summary.stored += reply.path("stored").asLong();
        summary.duplicates += reply.path("duplicates").asLong();
        rejects(reply, batchLines, name, summary);
      }
      return null;
    });
  }

  private final java.util.concurrent.ExecutorService sender = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "tickloom-import-sender");
    t.setDaemon(true);
    return t;
  });
  private java.util.concurrent.Future<?> inFlight;

  /** Waits for the batch in flight, rethrowing its failure. */
  private void awaitInFlight() {
    if (inFlight == null) return;
    try {
      inFlight.get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new ImportFailure(String.valueOf(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImportFailure("interrupted");
    } finally {
      inFlight = null;
    }
  }

  private void sendInstruments(List<String> items, List<Long> lines, String name, Summary summary) {
    JsonNode reply = post("/api/v1/instruments", items);
    summary.accepted += reply.path("stored").asLong();
    summary.stored += reply.path("stored").asLong();
    rejects(reply, lines, name, summary);
  }

  private static void rejects(JsonNode reply, List<Long> lines, String name, Summary summary) {
    for (JsonNode e : reply.path("errors")) {
      int index = e.path("index").asInt();
      String field = e.path("field").asText("");
      summary.reject(name + ":" + lines.get(index) + ": " + (field.isEmpty() ? "" : field + ": ") + e.path("reason").asText());
    }
  }

  /** POSTs a JSON array of {@code items}; retries while the node is saturated (429). */
  private JsonNode post(String path, List<String> items) {
    String body = "[" + String.join(",", items) + "]";
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(5))
        .header("Content-Type", "application/json").header("X-API-Key", key)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    long pause = 50;
    while (true) {
      HttpResponse<String> r;
      try {
        r = client.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (ConnectException e) {
        throw new ImportFailure("no Tickloom node answers at " + base + " (start one with ./tickloom demo, or give --url)");
      } catch (IOException e) {
        throw new ImportFailure("sending to " + base + " failed: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ImportFailure("interrupted");
      }
      if (r.statusCode() == 429) {
        sleep(pause);
        pause = Math.min(2_000, pause * 2);
        continue;
      }
      if (r.statusCode() != 200) throw new ImportFailure(path + " answered " + r.statusCode() + ": " + problemDetail(r.body()));
      try {
        return Json.MAPPER.readTree(r.body());
      } catch (IOException e) {
        throw new ImportFailure(path + " answered something that is not JSON: " + e.getMessage());
      }
    }
  }

  private Scales scalesOf(long token) {
    return scales.computeIfAbsent(token, t -> {
      HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/instruments/" + t)).timeout(Duration.ofSeconds(30)).GET().build();
      try {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) return null;
        if (r.statusCode() != 200) throw new ImportFailure("/api/v1/instruments/" + t + " answered " + r.statusCode());
        JsonNode i = Json.MAPPER.readTree(r.body());
        return new Scales(i.path("priceScale").asInt(), i.path("qtyScale").asInt());
      } catch (ConnectException e) {
        throw new ImportFailure("no Tickloom node answers at " + base + " (start one with ./tickloom demo, or give --url)");
      } catch (IOException e) {
        throw new ImportFailure("looking up instrument " + t + " failed: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ImportFailure("interrupted");
      }
    });
  }

  private static String problemDetail(String body) {
    try {
      JsonNode p = Json.MAPPER.readTree(body);
      return p.path("detail").asText(body);
    } catch (IOException e) {
      return body.length() > 300 ? body.substring(0, 300) : body;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms); // the importer's own thread, waiting out a saturated node before retrying
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImportFailure("interrupted");
    }
  }

  /** A progress bar on the terminal (only when there is one), redrawn at most five times a second. */
  private final class Progress {
    private final long total;
    private long bytes;
    private long lastDraw;
    private final long started = System.nanoTime();

    Progress(long total) {
      this.total = Math.max(1, total);
    }

    void add(long n) {
      bytes += n;
    }

    void show(Summary s) {
      if (!progress) return;
      long now = System.nanoTime();
      if (now - lastDraw < 200_000_000L) return;
      lastDraw = now;
      int pct = (int) Math.min(100, bytes * 100 / total);
      int filled = pct * 30 / 100;
      double secs = (now - started) / 1e9;
      err.printf("\r[%s%s] %3d%%  %,d rows  %,.0f rows/s  ", "#".repeat(filled), ".".repeat(30 - filled), pct, s.read, secs > 0 ? s.read / secs : 0.0);
      err.flush();
    }

    void done() {
      if (progress && lastDraw != 0) err.println();
    }
  }

  private static final class Counting extends FilterInputStream {
    private final Progress progress;

    Counting(InputStream in, Progress progress) {
      super(in);
      this.progress = progress;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) progress.add(1);
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) progress.add(n);
      return n;
    }
  }
}
