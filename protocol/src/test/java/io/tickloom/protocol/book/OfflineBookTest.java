package io.tickloom.protocol.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.format.FormatException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code book} command on hand-made LOBSTER-format fixtures (level 2): {@code lobster-mini_message_2.csv} (all
 * seven event kinds, a level pushed to level 3 that goes stale, a delete that needs depth revealed) and its true
 * {@code lobster-mini_orderbook_2.csv} (with liquidity resting from before the file: an ask at 104 and a bid at 98).
 */
class OfflineBookTest {
  @TempDir Path tmp;

  static Path fixture(String name) {
    try {
      return Path.of(OfflineBookTest.class.getResource("/book/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test fixture book/" + name, e);
    }
  }

  private static final Path MESSAGES = fixture("lobster-mini_message_2.csv");
  private static final Path ORDERBOOK = fixture("lobster-mini_orderbook_2.csv");

  @Test
  void withSnapshotOutputEqualsTheOrderbookFileAndRevealsDepthOnce() throws IOException {
    StringWriter out = new StringWriter();
    OfflineBook.Summary s = OfflineBook.run(OfflineBook.Format.LOBSTER, 2, MESSAGES, ORDERBOOK, out);
    assertEquals(Files.readString(ORDERBOOK), out.toString());
    assertEquals(new OfflineBook.Summary(11, 11, 1, 1, 1, 0, 0), s);
  }

  @Test
  void withoutSnapshotTheBookStartsEmptyAndLevelThreeStaysStale() throws IOException {
    StringWriter out = new StringWriter();
    OfflineBook.Summary s = OfflineBook.run(OfflineBook.Format.LOBSTER, 2, MESSAGES, null, out);
    assertEquals(Files.readString(fixture("lobster-mini.empty-start.expected.csv")), out.toString());
    assertEquals(new OfflineBook.Summary(11, 11, 1, 1, 0, 0, 0), s);
  }

  @Test
  void oneLevelKeepsOnlyTheTopOfBook() throws IOException {
    StringWriter out = new StringWriter();
    OfflineBook.run(OfflineBook.Format.LOBSTER, 1, MESSAGES, null, out);
    List<String> rows = out.toString().lines().toList();
    assertEquals(11, rows.size());
    assertEquals("9999999999,0,1000000,100", rows.get(0));
    assertEquals("1010000,30,1000000,80", rows.get(8));
    // Level 1 dropped 102 when 101 was best; LOBSTER level 1 would show the revealed 102 only with --snapshot.
    assertEquals("9999999999,0,1000000,80", rows.get(9));
  }

  @Test
  void aSnapshotRowThatDisagreesWithTheReplayIsCountedAndTheReplayKeepsItsOwnBook() throws IOException {
    List<String> rows = Files.readAllLines(ORDERBOOK);
    rows.set(4, "1010000,50,1000000,81,1040000,9,999000,30"); // message 5 executed 40, not 39
    Path tampered = tmp.resolve("tampered_orderbook_2.csv");
    Files.write(tampered, rows);
    StringWriter out = new StringWriter();
    OfflineBook.Summary s = OfflineBook.run(OfflineBook.Format.LOBSTER, 2, MESSAGES, tampered, out);
    assertEquals(1, s.mismatchedRows());
    assertEquals(Files.readString(ORDERBOOK), out.toString());
  }

  @Test
  void decreaseAtAnUnknownLevelIsAnIntegrityEventNotACrash() throws IOException {
    StringWriter out = new StringWriter();
    OfflineBook.Summary s = OfflineBook.run(OfflineBook.Format.LOBSTER, 1,
        new StringReader("1.0,1,1,10,1000,1\n2.0,3,9,5,2000,-1\n3.0,2,1,15,1000,1\n"), "m", null, null, out);
    assertEquals(2, s.integrityEvents());
    assertEquals("9999999999,0,1000,10\n9999999999,0,1000,10\n9999999999,0,1000,10\n", out.toString());
  }

  @Test
  void aShortOrderbookFileIsAnErrorNamingIt() {
    FormatException e = assertThrows(FormatException.class, () -> OfflineBook.run(OfflineBook.Format.LOBSTER, 2,
        new StringReader(Files.readString(MESSAGES)), "messages.csv",
        new StringReader(Files.readAllLines(ORDERBOOK).get(0) + "\n"), "orderbook.csv", new StringWriter()));
    assertEquals("orderbook.csv", e.source());
    assertEquals(2, e.line());
    assertTrue(e.reason().contains("ends before message 2"), e.reason());
  }

  @Test
  void aLongerOrderbookFileIsAnError() {
    FormatException e = assertThrows(FormatException.class, () -> OfflineBook.run(OfflineBook.Format.LOBSTER, 2,
        new StringReader("34200.1,1,1,100,1000000,1\n"), "messages.csv",
        new StringReader(Files.readString(ORDERBOOK)), "orderbook.csv", new StringWriter()));
    assertTrue(e.reason().contains("more rows"), e.reason());
  }

  @Test
  void anOrderbookFileWithOtherLevelsIsAnError() {
    FormatException e = assertThrows(FormatException.class, () -> OfflineBook.run(OfflineBook.Format.LOBSTER, 1,
        MESSAGES, ORDERBOOK, new StringWriter()));
    assertEquals(1, e.line());
    assertTrue(e.reason().contains("expected 4 fields"), e.reason());
  }

  @Test
  void aMalformedMessageRowNamesItsLineAfterWritingTheRowsBefore() {
    StringWriter out = new StringWriter();
    FormatException e = assertThrows(FormatException.class, () -> OfflineBook.run(OfflineBook.Format.LOBSTER, 1,
        new StringReader("1.0,1,1,10,1000,1\n2.0,9,1,10,1000,1\n"), "m.csv", null, null, out));
    assertEquals("m.csv", e.source());
    assertEquals(2, e.line());
    assertEquals("9999999999,0,1000,10\n", out.toString());
  }

  @Test
  void badLevelsAndFormatAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> OfflineBook.run(OfflineBook.Format.LOBSTER, 0, MESSAGES, null, new StringWriter()));
    assertThrows(IllegalArgumentException.class, () -> OfflineBook.Format.parse("itch"));
    assertEquals(OfflineBook.Format.LOBSTER, OfflineBook.Format.parse(" LOBSTER "));
  }
}
