package io.tickloom.protocol.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Side;
import io.tickloom.protocol.format.LobsterMessages;
import io.tickloom.protocol.format.LobsterOrderbook;
import io.tickloom.protocol.testing.Prerequisites;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * LOBSTER samples as an order-level live feed ({@link LobsterDepth} into a {@link LiveBook}, as {@code tickloom import
 * --format lobster} sends them): seeded with the orderbook file's first row as anonymous levels, the book's best bid
 * and ask (price and size) after each message compared with LOBSTER's orderbook file. Not exact by design (a level-N
 * file leaves out events beyond level N, which the live feed cannot reveal as the offline {@code book} command does):
 * the test pins how close it is.
 */
class LobsterLiveBookTest {
  private static Path oracle() {
    String configured = System.getProperty("tickloom.oracle");
    Path o = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("../../shared/oracle");
    return o.resolve("lobster");
  }

  record Match(long rows, long sent, long topEqual, long integrity, long resyncs) {}

  /** The feed's stream applied to a fresh book; after each row its top N compared with LOBSTER's orderbook row. */
  static Match replay(Path messages, Path orderbook, boolean withSnapshot) throws Exception {
    try (Reader mr = Files.newBufferedReader(messages, StandardCharsets.US_ASCII);
        Reader or = Files.newBufferedReader(orderbook, StandardCharsets.US_ASCII);
        Reader check = Files.newBufferedReader(orderbook, StandardCharsets.US_ASCII)) {
      LobsterMessages m = new LobsterMessages(mr, messages.getFileName().toString());
      LobsterOrderbook ob = withSnapshot ? new LobsterOrderbook(or, orderbook.getFileName().toString(), 0) : null;
      LobsterOrderbook expected = new LobsterOrderbook(check, orderbook.getFileName().toString(), 0);
      LobsterDepth.Feed feed = new LobsterDepth.Feed(m, ob, 1, 0);
      LiveBook book = new LiveBook();
      List<DepthMessage> out = new ArrayList<>();
      long sent = 0;
      long equal = 0;
      while (feed.next(out, 0)) {
        for (DepthMessage d : out) book.apply(d);
        sent += out.size();
        out.clear();
        expected.next();
        if (book.book() != null && topEquals(book.book(), expected)) equal++;
      }
      return new Match(feed.rows(), sent, equal, book.integrityEvents(), feed.resyncs());
    }
  }

  static boolean topEquals(OrderBook b, LobsterOrderbook row) {
    int n = row.levels();
    if (Math.min(b.levels(Side.BUY), n) != row.bidLevels() || Math.min(b.levels(Side.SELL), n) != row.askLevels()) return false;
    for (int i = 0; i < row.bidLevels(); i++) if (b.price(Side.BUY, i) != row.bidPrice(i) || b.size(Side.BUY, i) != row.bidSize(i)) return false;
    for (int i = 0; i < row.askLevels(); i++) if (b.price(Side.SELL, i) != row.askPrice(i) || b.size(Side.SELL, i) != row.askSize(i)) return false;
    return true;
  }

  private static final Path MINI = Path.of("src/test/resources/book");

  /** Own fixture (every event type, liquidity resting from before the file): exact after every row. */
  @Test
  void ownFixtureAsALiveOrderFeedEqualsItsOrderbookFileAfterEveryRow() throws Exception {
    Match m = replay(MINI.resolve("lobster-mini_message_2.csv"), MINI.resolve("lobster-mini_orderbook_2.csv"), true);
    assertEquals(new Match(11, m.sent(), 11, 0, m.resyncs()), m);
    Match plain = replay(MINI.resolve("lobster-mini_message_2.csv"), MINI.resolve("lobster-mini_orderbook_2.csv"), false);
    assertTrue(plain.topEqual() < 11, "without the orderbook file the resting liquidity is unknown: " + plain);
  }

  @Test
  void aMalformedRowIsReportedWithItsLineAndTheFilesStayInStep() throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(MINI.resolve("lobster-mini_message_2.csv")));
    lines.set(5, "34201.5,9,7,1,1000000,1"); // line 6: type 9
    Path dir = Files.createTempDirectory("lobster-feed");
    Path messages = Files.write(dir.resolve("m.csv"), lines);
    try (Reader mr = Files.newBufferedReader(messages); Reader or = Files.newBufferedReader(MINI.resolve("lobster-mini_orderbook_2.csv"))) {
      LobsterDepth.Feed feed = new LobsterDepth.Feed(new LobsterMessages(mr, "m.csv"), new LobsterOrderbook(or, "o.csv", 0), 1, 0);
      List<DepthMessage> out = new ArrayList<>();
      List<String> errors = new ArrayList<>();
      long rows = 0;
      while (true) {
        try {
          if (!feed.next(out, 0)) break;
        } catch (io.tickloom.protocol.format.FormatException e) {
          errors.add(e.getMessage());
        }
        rows++;
      }
      assertEquals(List.of("m.csv:6: type: expected 1 to 7 (1 submit, 2 cancel, 3 delete, 4 visible execution, 5 hidden execution, 6 cross, 7 halt), got 9"),
          errors);
      assertEquals(11, rows);
      assertEquals(11, feed.rows());
    }
  }

  @Test
  void lobsterSamplesAsALiveOrderFeedKeepTheTouchOfLobstersOwnBook() throws Exception {
    Path dir = oracle();
    Prerequisites.oracle(Files.isDirectory(dir), "no LOBSTER samples at " + dir.toAbsolutePath());
    Path googM = dir.resolve("GOOG_2012-06-21_34200000_57600000_message_10.first50000.csv");
    Path googO = dir.resolve("GOOG_2012-06-21_34200000_57600000_orderbook_10.first50000.csv");
    Path amznM = dir.resolve("AMZN_2012-06-21_34200000_57600000_message_1.csv");
    Path amznO = dir.resolve("AMZN_2012-06-21_34200000_57600000_orderbook_1.csv");
    Match goog = replay(googM, googO, true);
    Match amzn = replay(amznM, amznO, true);
    Match googPlain = replay(googM, googO, false);
    System.out.println("with the orderbook file: GOOG level 10 " + goog + ", AMZN level 1 " + amzn + "; GOOG without: " + googPlain);
    // with the orderbook file: equal to LOBSTER's book after every row, never an integrity event
    assertEquals(new Match(50_000, goog.sent(), 50_000, 0, goog.resyncs()), goog);
    assertEquals(new Match(57_515, amzn.sent(), 57_515, 0, amzn.resyncs()), amzn);
    assertTrue(goog.resyncs() < 50_000 / 2, "resyncs " + goog.resyncs());
    // without it, orders resting from before the file are unknown: integrity events, a diverging book
    assertTrue(googPlain.integrity() > 1_000, "integrity events without the snapshot: " + googPlain);
    assertTrue(googPlain.topEqual() < 50_000 / 2);
  }
}
