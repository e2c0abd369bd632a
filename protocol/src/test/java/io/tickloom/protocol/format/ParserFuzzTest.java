package io.tickloom.protocol.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Tick;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Hostile input for every CSV parser: truncated and mutated rows, wrong column counts, bad numbers, negative
 * quantities, undecodable bytes, a 10 MB line, far-future times. Whatever the input, a parser returns rows or throws
 * a {@link FormatException} naming the line; never another exception. After a FormatException (other than
 * undecodable input) the reader stands after the refused line, and the rows after it parse.
 *
 * <p>Time policy (decided, not a year cap): binance-trades and binance-aggtrades accept any millisecond time up to
 * {@code 10^14} (year 5138) and microseconds beyond, refusing only times outside the {@code long} nanosecond range
 * (after 2262-04-11); ticks-csv likewise refuses ISO times outside that range. Expiries of the instrument master are
 * dates, not nanoseconds, and are not bounded.
 */
class ParserFuzzTest {
  /** One parser under test, reduced to "next row or null" and "current line". */
  private interface Rows {
    Object next();

    long line();
  }

  /** A parser with a valid row that the fuzzing starts from. */
  private record Format(String name, String validRow, Function<Reader, Rows> open) {}

  private static Rows rows(TickReader r) {
    return new Rows() {
      @Override
      public Object next() {
        return r.next();
      }

      @Override
      public long line() {
        return r.line();
      }
    };
  }

  private static Rows rows(KiteInstruments r) {
    return new Rows() {
      @Override
      public Object next() {
        return r.next();
      }

      @Override
      public long line() {
        return r.line();
      }
    };
  }

  private static final List<Format> FORMATS = List.of(
      new Format("binance-trades", "17,4261.48000000,0.07518300,320.39085084,1502942432322,False,True",
          in -> rows(new BinanceTrades(in, "f", 1, Scales.BINANCE_SPOT))),
      new Format("binance-aggtrades", "26129,4261.48000000,0.10000000,27781,27785,1502942428322,True,True",
          in -> rows(new BinanceAggTrades(in, "f", 1, Scales.BINANCE_SPOT))),
      new Format("ticks-csv", "256265,2026-01-15T09:15:01.5+05:30,23100.1,3,2,77",
          in -> rows(new TicksCsv(in, "f", new Scales(2, 0)))),
      new Format("kite-instruments", "12073986,47164,BANKNIFTY18JAN23500CE,BANKNIFTY,2528.4,2018-01-25,23500.0,0.05,40,CE,NFO-OPT,NFO",
          in -> rows(new KiteInstruments(in, "f"))));

  /** Reads {@code first, middle, last}: the middle row parses or is refused at line 2, and the last row parses. */
  private static void assertMiddleRowParsesOrIsRefusedAlone(Format f, String middle) {
    Rows r = f.open().apply(new StringReader(f.validRow() + "\n" + middle + "\n" + f.validRow() + "\n"));
    assertNotNull(r.next(), f.name() + " first row");
    Object got;
    try {
      got = r.next();
      assertNotNull(got);
      assertEquals(2, r.line());
    } catch (FormatException e) {
      assertEquals(2, e.line(), () -> f.name() + " '" + middle + "': " + e.getMessage());
      assertEquals("f", e.source());
      assertTrue(!e.reason().isBlank());
    }
    assertNotNull(r.next(), () -> f.name() + " row after '" + middle + "'");
    assertEquals(3, r.line());
    assertNull(r.next());
  }

  private static FormatException refusedAtLine2(Format f, String middle) {
    Rows r = f.open().apply(new StringReader(f.validRow() + "\n" + middle + "\n" + f.validRow() + "\n"));
    assertNotNull(r.next());
    FormatException e = assertThrows(FormatException.class, r::next, () -> f.name() + " accepted '" + middle + "'");
    assertEquals(2, e.line());
    assertNotNull(r.next(), f.name() + " reads on after the refused row");
    return e;
  }

  @Test
  void everyPrefixOfAValidRowParsesOrIsRefusedAlone() {
    for (Format f : FORMATS) {
      for (int n = 1; n < f.validRow().length(); n++) assertMiddleRowParsesOrIsRefusedAlone(f, f.validRow().substring(0, n));
    }
  }

  @Test
  void wrongColumnCountsAreRefused() {
    for (Format f : FORMATS) {
      String[] fields = f.validRow().split(",", -1);
      String fewer = String.join(",", java.util.Arrays.copyOf(fields, fields.length - 2));
      assertTrue(refusedAtLine2(f, fewer).reason().contains("fields"), f.name());
      assertTrue(refusedAtLine2(f, f.validRow() + ",1,2").reason().contains("fields"), f.name());
    }
  }

  @Test
  void nonNumericPricesAndNegativeQuantitiesAreRefused() {
    assertTrue(refusedAtLine2(FORMATS.get(0), "17,4261.4x,0.1,1,1502942432322,False,True").reason().startsWith("price:"));
    assertTrue(refusedAtLine2(FORMATS.get(0), "17,4261.4,-0.1,1,1502942432322,False,True").reason().startsWith("qty must not be negative"));
    assertTrue(refusedAtLine2(FORMATS.get(1), "1,NaN,0.1,1,1,1502942432322,False,True").reason().startsWith("price:"));
    assertTrue(refusedAtLine2(FORMATS.get(1), "1,1e3,-0.1,1,1,1502942432322,False,True").reason().startsWith("price:"));
    assertTrue(refusedAtLine2(FORMATS.get(1), "1,1,-0.1,1,1,1502942432322,False,True").reason().startsWith("quantity must not be negative"));
    assertTrue(refusedAtLine2(FORMATS.get(2), "1,1000,Infinity,1,1").reason().startsWith("price:"));
    assertTrue(refusedAtLine2(FORMATS.get(2), "1,1000,1.5,-3,1").reason().startsWith("qty must not be negative"));
    assertTrue(refusedAtLine2(FORMATS.get(3), "1,1,A,,0,2018-01-25,1O0,0.05,40,CE,NFO-OPT,NFO").reason().startsWith("strike:"));
    assertTrue(refusedAtLine2(FORMATS.get(3), "1,1,A,,0,2018-01-25,100,0.05,-40,CE,NFO-OPT,NFO").reason().startsWith("lot_size must not be negative"));
  }

  @Test
  void seededMutationsNeverThrowAnythingButFormatException() {
    Random random = new Random(20260818L);
    String alphabet = "0123456789,.-+eE \"aTtFf\u00e9\uFFFD";
    for (Format f : FORMATS) {
      int refused = 0;
      for (int iteration = 0; iteration < 3_000; iteration++) {
        StringBuilder row = new StringBuilder(f.validRow());
        for (int k = 1 + random.nextInt(3); k > 0; k--) {
          int at = random.nextInt(row.length() + 1);
          char c = alphabet.charAt(random.nextInt(alphabet.length()));
          switch (random.nextInt(3)) {
            case 0 -> row.insert(at, c);
            case 1 -> {
              if (at < row.length()) row.deleteCharAt(at);
            }
            default -> {
              if (at < row.length()) row.setCharAt(at, c);
            }
          }
        }
        String middle = row.toString();
        if (middle.isBlank()) continue;
        try {
          assertMiddleRowParsesOrIsRefusedAlone(f, middle);
        } catch (AssertionError e) {
          throw e;
        } catch (RuntimeException e) {
          throw new AssertionError(f.name() + " threw " + e + " for '" + middle + "'", e);
        }
        if (!parses(f, middle)) refused++;
      }
      assertTrue(refused > 500, f.name() + ": mutations refused " + refused);
    }
  }

  private static boolean parses(Format f, String row) {
    try {
      Rows r = f.open().apply(new StringReader(f.validRow() + "\n" + row + "\n"));
      r.next();
      return r.next() != null;
    } catch (FormatException e) {
      return false;
    }
  }

  /** {@code count} characters of {@code c} without holding them: the 10 MB line is never in memory. */
  private static Reader lineOf(char c, long count, String after) {
    return new Reader() {
      private long left = count;
      private final StringReader tail = new StringReader(after);

      @Override
      public int read(char[] cbuf, int off, int len) throws IOException {
        if (left == 0) return tail.read(cbuf, off, len);
        int n = (int) Math.min(len, left);
        java.util.Arrays.fill(cbuf, off, off + n, c);
        left -= n;
        return n;
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void aTenMegabyteLineIsRefusedWithoutHoldingItAndTheNextRowParses() {
    for (Format f : FORMATS) {
      Rows r = f.open().apply(lineOf('7', 10L << 20, "\n" + f.validRow() + "\n"));
      FormatException e = assertThrows(FormatException.class, r::next, f.name());
      assertEquals(1, e.line());
      assertEquals("line longer than " + Csv.MAX_LINE_CHARS + " characters", e.reason());
      assertNotNull(r.next(), f.name());
      assertEquals(2, r.line());
    }
  }

  private static byte[] withInvalidUtf8(Format f, int validRowsBefore) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] valid = (f.validRow() + "\n").getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < validRowsBefore; i++) out.writeBytes(valid);
    byte[] bad = valid.clone();
    bad[valid.length / 2] = (byte) 0xFF; // never valid in UTF-8
    out.writeBytes(bad);
    out.writeBytes(valid);
    return out.toByteArray();
  }

  @Test
  void invalidUtf8ThroughAStrictDecoderIsRefusedAtOrBeforeItsLine() {
    for (Format f : FORMATS) {
      for (int before : new int[] {1, 2_000}) {
        byte[] bytes = withInvalidUtf8(f, before);
        // what Files.newBufferedReader(path, UTF_8) does: REPORT
        Reader strict = new InputStreamReader(new ByteArrayInputStream(bytes),
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT));
        Rows r = f.open().apply(strict);
        long delivered = 0;
        FormatException e = null;
        try {
          while (r.next() != null) delivered++;
        } catch (FormatException ex) {
          e = ex;
        }
        assertNotNull(e, f.name() + ": undecodable bytes were accepted");
        long badLine = before + 1;
        assertTrue(e.reason().startsWith("undecodable bytes"), e.reason());
        assertTrue(e.line() == delivered + 1 && e.line() <= badLine, f.name() + ": error at " + e.line() + ", bad line " + badLine);
        assertTrue(before < 100 || delivered > before / 2, "rows decoded before the decoder's look-ahead are delivered");
        FormatException again = assertThrows(FormatException.class, r::next, "a strict reader cannot go past the bytes");
        assertEquals(e.line(), again.line());
      }
    }
  }

  @Test
  void invalidUtf8ThroughAReplacingDecoderIsDeterministic() {
    // new InputStreamReader(in, UTF_8) replaces bad bytes by U+FFFD: a number with it is refused, a name keeps it
    for (Format f : FORMATS.subList(0, 3)) {
      byte[] bytes = withInvalidUtf8(f, 1);
      Rows r = f.open().apply(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8));
      assertNotNull(r.next());
      FormatException e = assertThrows(FormatException.class, r::next, f.name());
      assertEquals(2, e.line());
      assertTrue(e.reason().contains("\uFFFD"), e.reason());
      assertNotNull(r.next());
    }
    byte[] row = "1,1,NIFTY26AUGFUT,NIFT\u00ff,0.0,2026-08-25,0.0,0.1,65,FUT,NFO-FUT,NFO\n".getBytes(StandardCharsets.ISO_8859_1);
    for (int pass = 0; pass < 2; pass++) {
      Instrument i = (Instrument) FORMATS.get(3).open().apply(new InputStreamReader(new ByteArrayInputStream(row), StandardCharsets.UTF_8)).next();
      assertEquals("NIFT\uFFFD", i.underlying());
    }
  }

  @Test
  void farFutureTimesAreAcceptedWithinTheNanosecondRangeAndRefusedBeyond() {
    Rows trades = FORMATS.get(0).open().apply(new StringReader("1,1,1,1,7258118400000,True,True\n2,1,1,1,9300000000000,True,True\n"));
    assertEquals(7_258_118_400_000_000_000L, ((Tick) trades.next()).exchangeTs(), "2200-01-01 in ms");
    assertTrue(assertThrows(FormatException.class, trades::next).reason().startsWith("time out of range"), "2264 overflows nanoseconds");

    Rows agg = FORMATS.get(1).open().apply(new StringReader("1,1,1,1,1,9300000000000,True,True\n"));
    assertTrue(assertThrows(FormatException.class, agg::next).reason().startsWith("transact_time out of range"));

    Rows ticks = FORMATS.get(2).open().apply(new StringReader("1,2200-01-01T00:00:00Z,1,1,1\n1,3000-01-01T00:00:00Z,1,1,2\n1,1000,1,1,3\n"));
    assertEquals(7_258_118_400_000_000_000L, ((Tick) ticks.next()).exchangeTs());
    assertTrue(assertThrows(FormatException.class, ticks::next).reason().startsWith("exchangeTs:"));
    assertEquals(1000, ((Tick) ticks.next()).exchangeTs());

    Instrument far = (Instrument) FORMATS.get(3).open()
        .apply(new StringReader("1,1,X,X,0,9999-12-31,0,0.05,1,FUT,NFO-FUT,NFO\n")).next();
    assertEquals(9999, far.expiry().getYear());
  }

  @Test
  void readerExceptionsOtherThanDecodingStayIoErrors() {
    Reader failing = new Reader() {
      @Override
      public int read(char[] cbuf, int off, int len) throws IOException {
        throw new IOException("disk gone");
      }

      @Override
      public void close() {}
    };
    List<Format> all = new ArrayList<>(FORMATS);
    for (Format f : all) {
      UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> f.open().apply(failing).next(), f.name());
      assertTrue(e.getMessage().contains("read failed after line 0"), e.getMessage());
    }
  }
}
