package io.tickloom.protocol.bars;

import io.tickloom.protocol.Bar;
import io.tickloom.protocol.EmptyBarPolicy;
import io.tickloom.protocol.Fixed;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.Timestamps;
import io.tickloom.protocol.TradingHours;
import io.tickloom.protocol.format.BinanceTrades;
import io.tickloom.protocol.format.FormatException;
import io.tickloom.protocol.format.Scales;
import io.tickloom.protocol.format.TickReader;
import io.tickloom.protocol.format.TicksCsv;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The logic of {@code ./tickloom bars --format FORMAT --tf TF [--empty skip|carry] FILE...} (SPEC §7): reads the
 * files in the given order as one tick stream, feeds them in file order to the same {@link BarAggregator} the
 * live pipeline uses, flushes at the end and writes one CSV line per bar.
 *
 * <p><b>Output.</b> {@code start,open,high,low,close,volume,trades}, no header, {@code \n} line ends, in bar
 * start order, only the latest revision of each bar. {@code start} is epoch milliseconds (floor); prices and
 * volume are exact decimals ({@link Fixed#formatPlain}: trailing fractional zeros and a bare point removed, no
 * exponent, {@code -} for negatives: {@code 4261.48}, {@code 1.775183}, {@code 0}); trades is an integer.
 * So the output does not depend on the scales, as long as every value fits them.
 *
 * <p><b>Defaults.</b> Trading hours {@link TradingHours#UTC_24H} for both formats (the files carry no venue; a
 * ticks-csv file of a session venue can pass its hours to the long overload). Scales 8/8
 * ({@link Scales#BINANCE_SPOT}): enough for Binance spot and for NSE paise. Empty-interval policy when none is
 * given: {@link Format#defaultPolicy()}, i.e. carry for binance-trades (Binance's kline convention), skip for
 * ticks-csv (no invented bars for a generic file). Grace {@link #GRACE_NANOS}; {@link #REVISION_HISTORY} bars of
 * history, so out-of-order rows up to that many bars back are merged as revisions, older ones are counted in
 * {@link Summary#tooLateTicks()}. binance-trades ticks get token 0; a ticks-csv stream must hold one token only.
 *
 * <p>Memory stays bounded: bars are written as soon as they can no longer be revised.
 */
public final class OfflineBars {
  private OfflineBars() {}

  public static final long GRACE_NANOS = Timestamps.NANOS_PER_SECOND;
  public static final int REVISION_HISTORY = 10_000;

  /** Input formats the offline commands read. */
  public enum Format {
    BINANCE_TRADES("binance-trades", EmptyBarPolicy.CARRY),
    TICKS_CSV("ticks-csv", EmptyBarPolicy.SKIP);

    private final String label;
    private final EmptyBarPolicy defaultPolicy;

    Format(String label, EmptyBarPolicy defaultPolicy) {
      this.label = label;
      this.defaultPolicy = defaultPolicy;
    }

    /** CLI name: {@code binance-trades}, {@code ticks-csv}. */
    public String label() {
      return label;
    }

    /** Policy used when the caller gives none. */
    public EmptyBarPolicy defaultPolicy() {
      return defaultPolicy;
    }

    /** A streaming reader of this format over {@code in}; {@code source} names the file in errors. */
    public TickReader open(Reader in, String source, Scales scales) {
      return switch (this) {
        case BINANCE_TRADES -> new BinanceTrades(in, source, 0L, scales);
        case TICKS_CSV -> new TicksCsv(in, source, scales);
      };
    }

    public static Format parse(String s) {
      String t = s.trim().toLowerCase(Locale.ROOT);
      for (Format f : values()) if (f.label.equals(t)) return f;
      throw new IllegalArgumentException("unknown format '" + s + "' for bars (one of binance-trades, ticks-csv)");
    }
  }

  /**
   * What a run did.
   *
   * @param ticksRead rows turned into ticks
   * @param barsWritten CSV lines written
   * @param lateTicks ticks that arrived after their bar was final (merged as revisions)
   * @param tooLateTicks late ticks beyond the revision history (not in any bar)
   * @param outOfSessionTicks ticks outside the trading hours (not in any bar)
   */
  public record Summary(long ticksRead, long barsWritten, long lateTicks, long tooLateTicks, long outOfSessionTicks) {}

  /** With the defaults above ({@code policy} null: the format's default). */
  public static Summary run(Format format, Timeframe tf, EmptyBarPolicy policy, List<Path> files, Writer out) throws IOException {
    return run(format, tf, policy, TradingHours.UTC_24H, Scales.BINANCE_SPOT, files, out);
  }

  /**
   * Builds {@code tf} bars from {@code files} (read in order, as one stream) and writes them to {@code out}
   * (flushed, not closed).
   *
   * @param policy empty-interval policy, or null for the format's default
   * @throws FormatException for a malformed row, naming the file (as given) and its line; bars of the rows
   *     before it may already have been written
   */
  public static Summary run(Format format, Timeframe tf, EmptyBarPolicy policy, TradingHours hours, Scales scales,
      List<Path> files, Writer out) throws IOException {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(tf, "tf");
    Objects.requireNonNull(hours, "hours");
    Objects.requireNonNull(scales, "scales");
    Objects.requireNonNull(out, "out");
    EmptyBarPolicy empty = policy != null ? policy : format.defaultPolicy();
    Output output = new Output(out, scales);
    BarAggregator bars = null;
    long token = 0;
    long ticks = 0;
    for (Path file : files) {
      String name = file.toString();
      try (TickReader reader = format.open(Files.newBufferedReader(file, StandardCharsets.UTF_8), name, scales)) {
        for (Tick t = reader.next(); t != null; t = reader.next()) {
          if (bars == null) {
            token = t.token();
            bars = new BarAggregator(token, hours, empty, new Timeframe[] {tf}, GRACE_NANOS, REVISION_HISTORY, output);
          } else if (t.token() != token) {
            throw new FormatException(name, reader.line(), "token " + t.token() + " after token " + token
                + ": bars reads the ticks of one instrument per run");
          }
          bars.onTick(t.exchangeTs(), t.price(), t.qty(), t.seq());
          ticks++;
          output.writeBefore(bars.settledBefore(tf));
        }
      }
    }
    if (bars == null) {
      out.flush();
      return new Summary(0, 0, 0, 0, 0);
    }
    bars.flush();
    output.writeBefore(Long.MAX_VALUE);
    out.flush();
    return new Summary(ticks, output.written, bars.lateTicks(), bars.tooLateTicks(), bars.outOfSessionTicks());
  }

  /** One output line without line end: {@code start,open,high,low,close,volume,trades} as described above. */
  public static String csvLine(Bar bar, Scales scales) {
    return new StringBuilder(96).append(Timestamps.toMillis(bar.start())).append(',')
        .append(Fixed.formatPlain(bar.open(), scales.priceScale())).append(',')
        .append(Fixed.formatPlain(bar.high(), scales.priceScale())).append(',')
        .append(Fixed.formatPlain(bar.low(), scales.priceScale())).append(',')
        .append(Fixed.formatPlain(bar.close(), scales.priceScale())).append(',')
        .append(Fixed.formatPlain(bar.volume(), scales.qtyScale())).append(',')
        .append(bar.trades()).toString();
  }

  /** Keeps the latest revision of every bar until it is settled, then writes it, in start order. */
  private static final class Output implements BarAggregator.BarSink {
    private final Writer out;
    private final Scales scales;
    private final TreeMap<Long, Bar> pending = new TreeMap<>();
    long written;

    Output(Writer out, Scales scales) {
      this.out = out;
      this.scales = scales;
    }

    @Override
    public void onFinal(Bar bar) {
      pending.put(bar.start(), bar);
    }

    void writeBefore(long settled) throws IOException {
      while (!pending.isEmpty() && pending.firstKey() < settled) {
        Map.Entry<Long, Bar> first = pending.pollFirstEntry();
        out.write(csvLine(first.getValue(), scales));
        out.write('\n');
        written++;
      }
    }
  }
}
