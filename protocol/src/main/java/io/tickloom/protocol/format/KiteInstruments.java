package io.tickloom.protocol.format;

import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.OptionType;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Streaming reader of the Zerodha Kite instrument master ({@code GET /instruments}, CSV):
 * {@code instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,
 * instrument_type,segment,exchange}. One row at a time, never the whole file in memory.
 *
 * <p>Mapping to {@link Instrument}:
 * <ul>
 *   <li>{@code token} = {@code instrument_token} (1 to 2^32-1, the range of the ticker's token field);
 *       {@code exchange} = {@link Exchange#parse} of {@code exchange} (a crypto venue is refused);
 *       {@code symbol} = {@code tradingsymbol} (non-empty).
 *   <li>{@code kind}: segment {@code INDICES} (or {@code *-INDICES}) gives {@link InstrumentKind#IDX} whatever the
 *       type; else {@code instrument_type} {@code EQ}, {@code FUT}, {@code CE}/{@code PE} give EQ, FUT, OPT (with
 *       {@link OptionType}); any other type is a malformed row.
 *   <li>{@code priceScale} 4 for the currency exchanges {@link Exchange#CDS} and {@link Exchange#BCD}, else 2;
 *       {@code qtyScale} 0. A price field with more decimals than that is a malformed row.
 *   <li>{@code tickSize} = {@code tick_size} (rupees) at {@code priceScale}; <b>0 becomes 1</b> (the smallest unit),
 *       since Kite lists indices with tick size 0 and an instrument needs a positive one. {@code lotSize} =
 *       {@code lot_size}; <b>0 becomes 1</b> for the same reason. Negative values are malformed.
 *   <li>Futures and options: {@code underlying} = {@code name} (trimmed; null when empty, as in 2017-era dumps),
 *       {@code expiry} required ({@code yyyy-MM-dd}). Options: {@code strike} at {@code priceScale} (empty is 0;
 *       negative is malformed). Other kinds: no underlying, expiry, strike or option type (such columns are
 *       checked for syntax, then dropped).
 *   <li>{@code last_price} and {@code exchange_token} are checked (decimal, non-negative integer) and dropped.
 * </ul>
 *
 * <p>The header row is tolerated as the first line and, when present, must name the 12 columns in this order.
 * Quoted fields are accepted. Blank lines are skipped. A malformed row is a {@link FormatException} naming its
 * line and reason; the reader then stands after that row, so a caller that wants to skip such rows (for
 * example of a venue Tickloom does not know) may catch it and read on.
 */
public final class KiteInstruments implements Closeable {
  /** The columns, in order, as in Kite's header row. */
  public static final List<String> COLUMNS = List.of("instrument_token", "exchange_token", "tradingsymbol", "name",
      "last_price", "expiry", "strike", "tick_size", "lot_size", "instrument_type", "segment", "exchange");

  private static final String LAYOUT = String.join(",", COLUMNS);
  private static final long MAX_TOKEN = 0xFFFF_FFFFL;

  private final Csv csv;

  /** @param source file name used in error messages, or null */
  public KiteInstruments(Reader in, String source) {
    this.csv = new Csv(Objects.requireNonNull(in, "in"), source, COLUMNS.size(), true);
  }

  public KiteInstruments(Reader in) {
    this(in, null);
  }

  /** Every instrument of {@code in} (closed at the end); allocates the list. */
  public static List<Instrument> readAll(Reader in, String source) throws IOException {
    List<Instrument> all = new ArrayList<>();
    try (KiteInstruments reader = new KiteInstruments(in, source)) {
      for (Instrument i = reader.next(); i != null; i = reader.next()) all.add(i);
    }
    return all;
  }

  /** The next instrument, or null at the end of the input. */
  public Instrument next() {
    if (!csv.nextRow()) return null;
    if (csv.line() == 1 && !csv.startsWithDigit(0)) {
      checkHeader();
      if (!csv.nextRow()) return null;
    }
    csv.expectFields(COLUMNS.size(), COLUMNS.size(), LAYOUT);

    Exchange exchange = exchange(11);
    int priceScale = exchange == Exchange.CDS || exchange == Exchange.BCD ? 4 : 2;
    long token = csv.integer(0, "instrument_token");
    if (token <= 0 || token > MAX_TOKEN) throw csv.error("instrument_token out of range (1 to 2^32-1): " + token);
    if (csv.integer(1, "exchange_token") < 0) throw csv.error("exchange_token must not be negative: " + csv.field(1));
    String symbol = csv.field(2);
    if (symbol.isBlank()) throw csv.error("tradingsymbol: empty");
    String name = csv.field(3).trim();
    if (!csv.isEmpty(4)) csv.decimal(4, "last_price");
    LocalDate expiry = csv.isEmpty(5) ? null : date(5);
    long strike = csv.isEmpty(6) ? 0 : csv.fixed(6, priceScale, "strike");
    if (strike < 0) throw csv.error("strike must not be negative: '" + csv.field(6) + "'");
    long tickSize = csv.fixed(7, priceScale, "tick_size");
    if (tickSize < 0) throw csv.error("tick_size must not be negative: '" + csv.field(7) + "'");
    long lotSize = csv.fixed(8, 0, "lot_size");
    if (lotSize < 0) throw csv.error("lot_size must not be negative: '" + csv.field(8) + "'");
    String type = csv.field(9).trim().toUpperCase(Locale.ROOT);
    String segment = csv.field(10).trim().toUpperCase(Locale.ROOT);

    InstrumentKind kind;
    OptionType optionType = null;
    if (segment.equals("INDICES") || segment.endsWith("-INDICES")) {
      kind = InstrumentKind.IDX;
    } else {
      switch (type) {
        case "EQ" -> kind = InstrumentKind.EQ;
        case "FUT" -> kind = InstrumentKind.FUT;
        case "CE" -> {
          kind = InstrumentKind.OPT;
          optionType = OptionType.CE;
        }
        case "PE" -> {
          kind = InstrumentKind.OPT;
          optionType = OptionType.PE;
        }
        default -> throw csv.error("instrument_type: expected EQ, FUT, CE or PE, got '" + csv.field(9) + "'");
      }
    }
    boolean derivative = kind == InstrumentKind.FUT || kind == InstrumentKind.OPT;
    if (derivative && expiry == null) throw csv.error("expiry: empty for " + type + " " + symbol);
    return new Instrument(token, exchange, symbol, kind, Math.max(tickSize, 1), Math.max(lotSize, 1), priceScale, 0,
        derivative && !name.isEmpty() ? name : null,
        derivative ? expiry : null,
        kind == InstrumentKind.OPT ? strike : 0,
        optionType);
  }

  private void checkHeader() {
    if (csv.fields() != COLUMNS.size()) {
      throw csv.error("expected a header of " + COLUMNS.size() + " columns (" + LAYOUT + ") or a row, got " + csv.fields() + " fields");
    }
    for (int i = 0; i < COLUMNS.size(); i++) {
      if (!csv.field(i).trim().equalsIgnoreCase(COLUMNS.get(i))) {
        throw csv.error("header column " + (i + 1) + ": expected '" + COLUMNS.get(i) + "', got '" + csv.field(i) + "'");
      }
    }
  }

  private Exchange exchange(int i) {
    Exchange e;
    try {
      e = Exchange.parse(csv.field(i));
    } catch (IllegalArgumentException ex) {
      throw csv.error("exchange: " + ex.getMessage());
    }
    if (e.createsInstrumentsOnSight()) throw csv.error("exchange: " + e + " is not a Kite exchange");
    return e;
  }

  private LocalDate date(int i) {
    String s = csv.field(i).trim();
    try {
      return LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      throw csv.error("expiry: expected yyyy-MM-dd, got '" + s + "'");
    }
  }

  /** 1-based number of the last line read (0 before the first). */
  public long line() {
    return csv.line();
  }

  @Override
  public void close() throws IOException {
    csv.close();
  }
}
