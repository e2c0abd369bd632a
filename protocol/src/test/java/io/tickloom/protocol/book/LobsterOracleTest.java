package io.tickloom.protocol.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.format.LobsterMessages;
import io.tickloom.protocol.format.LobsterOrderbook;
import io.tickloom.protocol.testing.Prerequisites;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The {@code book} command against LOBSTER's own orderbook files (oracle README §1): for every sample pair in
 * {@code lobster/} (the plain CSV extracts and the six original full-day zips) the output, seeded and revealed from
 * the orderbook file, must equal that file row for row, with as many rows as messages; and the rows where depth had
 * to be revealed must be as many as the oracle's own replay counted. Without revelation the replay must diverge
 * early (so the rule is needed and the test can fail). The oracle folder comes from {@code tickloom.oracle}, else
 * {@code ../../shared/oracle}; skipped when absent ({@link OfflineBookTest} runs the same code on own fixtures).
 */
class LobsterOracleTest {
  private static final Pattern MESSAGE = Pattern.compile("(.*)_message_(\\d+)(.*)\\.csv");
  /** Rows with revealed depth, from the oracle README (its independent replay). */
  private static final Map<String, Long> REVEALED = Map.of(
      "AMZN_2012-06-21_34200000_57600000_message_1.csv", 13_953L,
      "GOOG_2012-06-21_34200000_57600000_message_10.first50000.csv", 16_971L,
      "LOBSTER_SampleFile_AMZN_2012-06-21_1.zip", 13_953L,
      "LOBSTER_SampleFile_GOOG_2012-06-21_1.zip", 11_207L,
      "LOBSTER_SampleFile_AAPL_2012-06-21_1.zip", 30_071L,
      "LOBSTER_SampleFile_AMZN_2012-06-21_5.zip", 33_840L,
      "LOBSTER_SampleFile_GOOG_2012-06-21_5.zip", 31_903L,
      "LOBSTER_SampleFile_GOOG_2012-06-21_10.zip", 44_451L);
  /** Messages (= orderbook rows) per full day, from the oracle README. */
  private static final Map<String, Long> ROWS = Map.of(
      "AMZN_2012-06-21_34200000_57600000_message_1.csv", 57_515L,
      "GOOG_2012-06-21_34200000_57600000_message_10.first50000.csv", 50_000L,
      "LOBSTER_SampleFile_AMZN_2012-06-21_1.zip", 57_515L,
      "LOBSTER_SampleFile_GOOG_2012-06-21_1.zip", 49_482L,
      "LOBSTER_SampleFile_AAPL_2012-06-21_1.zip", 118_497L,
      "LOBSTER_SampleFile_AMZN_2012-06-21_5.zip", 155_935L,
      "LOBSTER_SampleFile_GOOG_2012-06-21_5.zip", 112_673L,
      "LOBSTER_SampleFile_GOOG_2012-06-21_10.zip", 147_916L);

  /** A message/orderbook pair: how to open both. */
  private record Pair(String name, int levels, Opener messages, Opener orderbook) {}

  @FunctionalInterface
  private interface Opener {
    BufferedReader open() throws IOException;
  }

  static Path lobsterDir() {
    String configured = System.getProperty("tickloom.oracle");
    Path oracle = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("../../shared/oracle");
    Path dir = oracle.resolve("lobster");
    Prerequisites.oracle(Files.isDirectory(dir), "oracle data absent: " + dir.toAbsolutePath().normalize()
        + " does not exist (set -Dtickloom.oracle=DIR); OfflineBookTest covers the same code with own fixtures");
    return dir;
  }

  private static List<Pair> pairs() throws IOException {
    Path dir = lobsterDir();
    List<Pair> pairs = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        Matcher m = MESSAGE.matcher(p.getFileName().toString());
        if (!m.matches()) continue;
        Path book = p.resolveSibling(m.group(1) + "_orderbook_" + m.group(2) + m.group(3) + ".csv");
        if (!Files.isRegularFile(book)) continue;
        pairs.add(new Pair(p.getFileName().toString(), Integer.parseInt(m.group(2)),
            () -> Files.newBufferedReader(p, StandardCharsets.UTF_8), () -> Files.newBufferedReader(book, StandardCharsets.UTF_8)));
      }
    }
    Path zips = dir.resolve("zips");
    if (Files.isDirectory(zips)) {
      try (Stream<Path> files = Files.list(zips)) {
        for (Path zip : files.filter(f -> f.toString().endsWith(".zip")).sorted().toList()) {
          String message = null;
          String book = null;
          try (ZipFile z = new ZipFile(zip.toFile())) {
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
              String n = e.nextElement().getName();
              if (n.contains("_message_") && n.endsWith(".csv")) message = n;
              if (n.contains("_orderbook_") && n.endsWith(".csv")) book = n;
            }
          }
          if (message == null || book == null) continue;
          Matcher m = MESSAGE.matcher(message.substring(message.lastIndexOf('/') + 1));
          assertTrue(m.matches(), message);
          String messageEntry = message;
          String bookEntry = book;
          pairs.add(new Pair(zip.getFileName().toString(), Integer.parseInt(m.group(2)),
              () -> zipEntry(zip, messageEntry), () -> zipEntry(zip, bookEntry)));
        }
      }
    }
    Prerequisites.oracle(!pairs.isEmpty(), "no LOBSTER message/orderbook pair in " + dir);
    return pairs;
  }

  /** The entry's text; the zip stays open until the reader is closed. */
  private static BufferedReader zipEntry(Path zip, String entry) throws IOException {
    ZipFile z = new ZipFile(zip.toFile());
    Reader r = new InputStreamReader(z.getInputStream(z.getEntry(entry)), StandardCharsets.UTF_8) {
      @Override
      public void close() throws IOException {
        super.close();
        z.close();
      }
    };
    return new BufferedReader(r, 1 << 16);
  }

  @TestFactory
  Stream<DynamicTest> replayEqualsOrderbookFileRowForRow() throws IOException {
    return pairs().stream().map(pair -> DynamicTest.dynamicTest(pair.name(), () -> {
      OfflineBook.Summary s;
      LineComparingWriter out;
      try (BufferedReader messages = pair.messages().open(); BufferedReader snapshot = pair.orderbook().open();
          BufferedReader expected = pair.orderbook().open()) {
        out = new LineComparingWriter(expected);
        s = OfflineBook.run(OfflineBook.Format.LOBSTER, pair.levels(), messages, pair.name(), snapshot, "orderbook", out);
        assertFalse(out.expectedHasMore(), pair.name() + ": fewer rows written than the orderbook file has");
      }
      assertEquals(-1, out.firstMismatch, pair.name() + ": first different row " + out.firstMismatch
          + "\n expected " + out.firstExpected + "\n actual   " + out.firstActual);
      System.out.printf("LOBSTER %s (level %d): %d of %d rows equal, %d revealed rows, %d integrity events%n",
          pair.name(), pair.levels(), out.compared, s.rowsWritten(), s.revealedRows(), s.integrityEvents());
      assertEquals(s.messages(), out.compared);
      if (ROWS.containsKey(pair.name())) assertEquals(ROWS.get(pair.name()), out.compared, "rows of " + pair.name());
      if (REVEALED.containsKey(pair.name())) {
        assertEquals(REVEALED.get(pair.name()), s.revealedRows(), "rows with revealed depth in " + pair.name());
      }
      assertEquals(0, s.mismatchedRows());
      assertEquals(0, s.integrityEvents());
    }));
  }

  @Test
  void withoutDepthRevelationTheReplayDivergesEarly() throws IOException {
    for (Pair pair : pairs()) {
      try (BufferedReader m = pair.messages().open(); BufferedReader b = pair.orderbook().open()) {
        LobsterMessages messages = new LobsterMessages(m, pair.name());
        LobsterOrderbook rows = new LobsterOrderbook(b, "orderbook", pair.levels());
        LobsterReplay replay = new LobsterReplay(pair.levels(), BookIntegrityListener.IGNORE);
        StringBuilder line = new StringBuilder();
        assertTrue(messages.next() && rows.next());
        replay.seed(rows);
        long firstDifferent = -1;
        for (long row = 2; row <= 1000 && messages.next() && rows.next(); row++) {
          replay.apply(messages);
          line.setLength(0);
          replay.appendRow(line);
          if (!rows.text().contentEquals(line)) {
            firstDifferent = row;
            break;
          }
        }
        assertTrue(firstDifferent > 1 && firstDifferent <= 100, pair.name() + ": naive replay first differs at row " + firstDifferent);
      }
    }
  }

  /**
   * The L3 book over a whole LOBSTER day by order id: every cancel, delete or visible execution of an order submitted
   * before the file starts (the oracle README counts 7,467 such messages in AMZN level 1) must be reported as an
   * unknown order, and the book's invariants must hold throughout. (It also reports tens of thousands of crossed
   * states: a level-1 file leaves out the cancels of orders outside the best level, so such orders linger in an
   * order-by-order book. That is why the {@code book} command replays LOBSTER by level, see {@link LobsterReplay}.)
   */
  @Test
  void l3BookReportsEveryMessageForAnOrderSubmittedBeforeTheFile() throws IOException {
    Path file = lobsterDir().resolve("AMZN_2012-06-21_34200000_57600000_message_1.csv");
    Prerequisites.oracle(Files.isRegularFile(file), "oracle file absent: " + file);
    L3Book book = new L3Book();
    long unknownReported = 0;
    try (LobsterMessages m = new LobsterMessages(Files.newBufferedReader(file, StandardCharsets.UTF_8), file.toString())) {
      while (m.next()) {
        BookResult r = switch (m.type()) {
          case LobsterMessages.SUBMIT -> book.add(m.orderId(), m.side(), m.price(), m.size());
          case LobsterMessages.CANCEL -> book.cancel(m.orderId(), m.size());
          case LobsterMessages.DELETE -> book.delete(m.orderId());
          case LobsterMessages.EXECUTE_VISIBLE -> book.execute(m.orderId(), m.size());
          default -> BookResult.OK;
        };
        if (r == BookResult.UNKNOWN_ORDER) unknownReported++;
      }
    }
    book.validateInternalState();
    System.out.printf("L3 over AMZN level 1: %d unknown-order events, %d over-cancels, %d crossed, %d locked, %d orders left%n",
        book.integrityEvents(BookResult.UNKNOWN_ORDER), book.integrityEvents(BookResult.OVER_CANCEL),
        book.integrityEvents(BookResult.CROSSED), book.integrityEvents(BookResult.LOCKED), book.orderCount());
    assertEquals(7_467, book.integrityEvents(BookResult.UNKNOWN_ORDER));
    assertEquals(unknownReported, book.integrityEvents(BookResult.UNKNOWN_ORDER));
    assertTrue(book.needsSnapshot(), "unknown orders flag the book");
  }
}
