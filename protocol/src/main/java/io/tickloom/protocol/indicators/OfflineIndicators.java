package io.tickloom.protocol.indicators;

import io.tickloom.protocol.Bar;
import io.tickloom.protocol.EmptyBarPolicy;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.Timestamps;
import io.tickloom.protocol.TradingHours;
import io.tickloom.protocol.bars.BarAggregator;
import io.tickloom.protocol.bars.OfflineBars;
import io.tickloom.protocol.bars.SessionCalendar;
import io.tickloom.protocol.format.FormatException;
import io.tickloom.protocol.format.Scales;
import io.tickloom.protocol.format.TickReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The logic of {@code ./tickloom indicators --format FORMAT --tf TF --names RSI_14,EMA_9 FILE...} (SPEC §7): builds
 * the bar series from the files (read in order, as one stream), feeds every final bar, in start order, to an
 * {@link IndicatorSet} and writes one CSV row per bar.
 *
 * <p><b>Bars.</b>
 * <ul>
 *   <li>{@code binance-trades}, {@code ticks-csv}: the bars the {@code bars} command prints for the same files and
 *       timeframe ({@link OfflineBars}' defaults: {@link TradingHours#UTC_24H}, scales 8/8, the format's empty-bar
 *       policy, grace {@link OfflineBars#GRACE_NANOS}, {@link OfflineBars#REVISION_HISTORY} bars of revision
 *       history), built by the same {@link BarAggregator}. A bar is fed once it can no longer be revised: when
 *       {@code REVISION_HISTORY} newer bars exist (the aggregator has evicted it) or at the end of the input; so
 *       only a bar's latest revision is ever fed. {@code VWAP} uses each bar's own vwap.
 *   <li>{@code bars-csv}: each row {@code start,open,high,low,close,volume} is a bar (a 7th column, the trade count
 *       that the {@code bars} command prints, is accepted and ignored, so its output can be fed back). {@code start}
 *       is epoch milliseconds or ISO-8601 ({@code 2026-01-15T03:45:00Z}); the others are decimals. A header is
 *       accepted as the first line of a file (first field {@code start}). Starts must increase strictly across all
 *       files; {@code low <= min(open, close)}, {@code high >= max(open, close)}, {@code volume >= 0}. The timeframe
 *       is not used (may be null). {@code VWAP} uses the typical price (no bar vwap in the file).
 *   <li>Sessions (for {@code VWAP}): a bar starts a session when {@link SessionCalendar#sessionStart} of its start
 *       differs from the previous bar's; with the default hours that is each UTC day.
 * </ul>
 *
 * <p><b>Output.</b> A header {@code start,<output names>} (see {@link IndicatorSet#outputNames()}:
 * {@code MACD_12_26_9.macd,MACD_12_26_9.signal,MACD_12_26_9.hist}), then one row per final bar: {@code start} in epoch
 * milliseconds, then each value rounded half-even to {@value #DECIMALS} decimal places, trailing fractional zeros
 * and a bare point removed, plain notation ({@code 42.5}, {@code -0.00012345}, {@code 0}); an empty field before an
 * indicator's first output. {@code \n} line ends.
 */
public final class OfflineIndicators {
  private OfflineIndicators() {}

  /** Decimal places of the printed values. */
  public static final int DECIMALS = 8;

  /** Input formats of the {@code indicators} command. */
  public enum Format {
    BINANCE_TRADES("binance-trades", OfflineBars.Format.BINANCE_TRADES),
    TICKS_CSV("ticks-csv", OfflineBars.Format.TICKS_CSV),
    BARS_CSV("bars-csv", null);

    private final String label;
    private final OfflineBars.Format ticks;

    Format(String label, OfflineBars.Format ticks) {
      this.label = label;
      this.ticks = ticks;
    }

    /** CLI name: {@code binance-trades}, {@code ticks-csv}, {@code bars-csv}. */
    public String label() {
      return label;
    }

    public static Format parse(String s) {
      String t = s.trim().toLowerCase(Locale.ROOT);
      for (Format f : values()) if (f.label.equals(t)) return f;
      throw new IllegalArgumentException("unknown format '" + s + "' for indicators (one of binance-trades, ticks-csv, bars-csv)");
    }
  }

  /**
   * What a run did.
   *
   * @param rowsRead ticks read (tick formats) or bar rows read ({@code bars-csv})
   * @param barsWritten CSV rows written (without the header)
   * @param lateTicks ticks that arrived after their bar was final (merged as revisions before the bar was fed)
   * @param tooLateTicks late ticks beyond the revision history (not in any bar)
   * @param outOfSessionTicks ticks outside the trading hours (not in any bar)
   */
  public record Summary(long rowsRead, long barsWritten, long lateTicks, long tooLateTicks, long outOfSessionTicks) {}

  /** With {@link OfflineBars}' defaults (see the class documentation). */
  public static Summary run(Format format, Timeframe tf, List<String> names, List<Path> files, Writer out)
      throws IOException {
    return run(format, tf, null, TradingHours.UTC_24H, Scales.BINANCE_SPOT, names, files, out);
  }

  /**
   * Computes {@code names} over the bars of {@code files} and writes them to {@code out} (flushed, not closed).
   *
   * @param tf bar timeframe for the tick formats; ignored for {@code bars-csv}
   * @param policy empty-interval policy for the tick formats, or null for the format's default
   * @param hours sessions: bar anchoring of the tick formats, and {@code VWAP} resets for all formats
   * @param scales fixed-point scales of the tick formats
   * @throws IllegalArgumentException for a bad indicator name, before anything is written
   * @throws FormatException for a malformed row, naming the file (as given) and its line; rows for the bars before
   *     it may already have been written
   */
  public static Summary run(Format format, Timeframe tf, EmptyBarPolicy policy, TradingHours hours, Scales scales,
      List<String> names, List<Path> files, Writer out) throws IOException {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(hours, "hours");
    Objects.requireNonNull(scales, "scales");
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(out, "out");
    Rows rows = new Rows(IndicatorSet.of(names), new SessionCalendar(hours), out);
    rows.header();
    Summary summary = format == Format.BARS_CSV
        ? barsCsv(files, rows)
        : ticks(format.ticks, Objects.requireNonNull(tf, "tf"), policy != null ? policy : format.ticks.defaultPolicy(),
            hours, scales, files, rows);
    out.flush();
    return summary;
  }

  /** {@code value} as printed: empty for NaN, else rounded as described in the class documentation. */
  public static String format(double value) {
    return Rounding.format(value);
  }

  private static Summary ticks(OfflineBars.Format format, Timeframe tf, EmptyBarPolicy policy, TradingHours hours,
      Scales scales, List<Path> files, Rows rows) throws IOException {
    TreeMap<Long, Bar> pending = new TreeMap<>(); // latest revision of each bar not yet fed, by start
    BarAggregator bars = null;
    long token = 0;
    long ticks = 0;
    for (Path file : files) {
      String name = file.toString();
      try (TickReader reader = format.open(Files.newBufferedReader(file, StandardCharsets.UTF_8), name, scales)) {
        for (Tick t = reader.next(); t != null; t = reader.next()) {
          if (bars == null) {
            token = t.token();
            bars = new BarAggregator(token, hours, policy, new Timeframe[] {tf}, OfflineBars.GRACE_NANOS,
                OfflineBars.REVISION_HISTORY, bar -> pending.put(bar.start(), bar));
          } else if (t.token() != token) {
            throw new FormatException(name, reader.line(), "token " + t.token() + " after token " + token
                + ": indicators reads the ticks of one instrument per run");
          }
          bars.onTick(t.exchangeTs(), t.price(), t.qty(), t.seq());
          ticks++;
          // More than REVISION_HISTORY newer bars: the aggregator has evicted the oldest, it is settled.
          while (pending.size() > OfflineBars.REVISION_HISTORY) rows.bar(pending.pollFirstEntry().getValue(), scales);
        }
      }
    }
    if (bars == null) return new Summary(0, 0, 0, 0, 0);
    bars.flush();
    while (!pending.isEmpty()) rows.bar(pending.pollFirstEntry().getValue(), scales);
    return new Summary(ticks, rows.written, bars.lateTicks(), bars.tooLateTicks(), bars.outOfSessionTicks());
  }

  private static Summary barsCsv(List<Path> files, Rows rows) throws IOException {
    long read = 0;
    long previousStart = Long.MIN_VALUE;
    for (Path file : files) {
      String name = file.toString();
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        long lineNo = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lineNo++;
          if (line.isBlank()) continue;
          String[] f = line.split(",", -1);
          if (lineNo == 1 && f[0].trim().equalsIgnoreCase("start")) continue;
          if (f.length != 6 && f.length != 7) {
            throw new FormatException(name, lineNo, "expected 6 fields start,open,high,low,close,volume (or 7 with trades), got " + f.length);
          }
          long start;
          try {
            start = Timestamps.parseQuery(f[0]);
          } catch (IllegalArgumentException e) {
            throw new FormatException(name, lineNo, "start: " + e.getMessage());
          }
          double open = decimal(f[1], "open", name, lineNo);
          double high = decimal(f[2], "high", name, lineNo);
          double low = decimal(f[3], "low", name, lineNo);
          double close = decimal(f[4], "close", name, lineNo);
          double volume = decimal(f[5], "volume", name, lineNo);
          if (f.length == 7 && !f[6].trim().matches("\\d+")) {
            throw new FormatException(name, lineNo, "trades: not a non-negative integer: '" + f[6] + "'");
          }
          if (low > Math.min(open, close) || high < Math.max(open, close)) {
            throw new FormatException(name, lineNo, "inconsistent bar: need low <= open, close <= high");
          }
          if (volume < 0) throw new FormatException(name, lineNo, "negative volume");
          if (start <= previousStart) {
            throw new FormatException(name, lineNo, "start " + Timestamps.format(start)
                + " is not after the previous bar's start " + Timestamps.format(previousStart));
          }
          previousStart = start;
          read++;
          rows.bar(start, open, high, low, close, volume, Double.NaN);
        }
      }
    }
    return new Summary(read, rows.written, 0, 0, 0);
  }

  private static double decimal(String text, String field, String source, long line) {
    String t = text.trim();
    if (!t.matches("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)")) {
      throw new FormatException(source, line, field + ": not a decimal number: '" + text + "'");
    }
    return Double.parseDouble(t);
  }

  /** Feeds bars to the indicators and writes a row per bar. */
  private static final class Rows {
    private final IndicatorSet indicators;
    private final SessionCalendar calendar;
    private final Writer out;
    private final double[] values;
    private final StringBuilder line = new StringBuilder(256);
    private long session = Long.MIN_VALUE;
    private boolean first = true;
    long written;

    Rows(IndicatorSet indicators, SessionCalendar calendar, Writer out) {
      this.indicators = indicators;
      this.calendar = calendar;
      this.out = out;
      this.values = new double[indicators.outputCount()];
    }

    void header() throws IOException {
      out.write("start," + String.join(",", indicators.outputNames()) + "\n");
    }

    void bar(Bar bar, Scales scales) throws IOException {
      int p = scales.priceScale();
      bar(bar.start(), IndicatorSet.price(bar.open(), p), IndicatorSet.price(bar.high(), p),
          IndicatorSet.price(bar.low(), p), IndicatorSet.price(bar.close(), p),
          IndicatorSet.price(bar.volume(), scales.qtyScale()), IndicatorSet.price(bar.vwap(), p));
    }

    void bar(long start, double open, double high, double low, double close, double volume, double vwap)
        throws IOException {
      long s = calendar.sessionStart(start);
      boolean sessionStart = first || s != session;
      first = false;
      session = s;
      indicators.update(open, high, low, close, volume, vwap, sessionStart);
      indicators.values(values);
      line.setLength(0);
      line.append(Timestamps.toMillis(start));
      for (double v : values) line.append(',').append(format(v));
      line.append('\n');
      out.append(line);
      written++;
    }
  }
}
