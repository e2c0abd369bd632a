package io.tickloom.protocol.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The shared line reader: line ends, limits, quoting, against {@link BufferedReader#readLine()} where it applies. */
class CsvTest {
  /** Hands out at most {@code chunk} characters per read, to move line ends across buffer boundaries. */
  private static Reader trickle(String text, int chunk) {
    return new Reader() {
      private int pos;

      @Override
      public int read(char[] cbuf, int off, int len) {
        if (pos == text.length()) return -1;
        int n = Math.min(Math.min(len, chunk), text.length() - pos);
        text.getChars(pos, pos + n, cbuf, off);
        pos += n;
        return n;
      }

      @Override
      public void close() {}
    };
  }

  private static List<String> rows(Csv csv) {
    List<String> out = new ArrayList<>();
    while (csv.nextRow()) out.add(csv.line() + ":" + csv.text());
    return out;
  }

  private static List<String> reference(String text) throws IOException {
    List<String> out = new ArrayList<>();
    BufferedReader r = new BufferedReader(new StringReader(text));
    long line = 0;
    for (String l = r.readLine(); l != null; l = r.readLine()) {
      line++;
      if (!l.isBlank()) out.add(line + ":" + l);
    }
    return out;
  }

  @Test
  void linesAndLineNumbersMatchBufferedReaderForRandomLineEnds() throws IOException {
    Random random = new Random(11);
    String[] pieces = {"a", "b,c", "\n", "\r", "\r\n", " ", "1.5", "\n\n", "x".repeat(40)};
    for (int iteration = 0; iteration < 2_000; iteration++) {
      StringBuilder sb = new StringBuilder();
      for (int i = random.nextInt(30); i > 0; i--) sb.append(pieces[random.nextInt(pieces.length)]);
      String text = sb.toString();
      int chunk = 1 + random.nextInt(20);
      assertEquals(reference(text), rows(new Csv(trickle(text, chunk), "t", 64)), () -> "text " + text.replace("\r", "\\r").replace("\n", "\\n"));
    }
  }

  @Test
  void lineAtTheLimitIsReadOneBeyondIsRefusedAndReadingGoesOn() {
    String max = "9".repeat(Csv.MAX_LINE_CHARS);
    Csv csv = new Csv(trickle("1\n" + max + "\n" + max + "9\r\n2", 5_000), "big.csv", 4);
    assertTrue(csv.nextRow());
    assertTrue(csv.nextRow());
    assertEquals(Csv.MAX_LINE_CHARS, csv.text().length());
    FormatException e = assertThrows(FormatException.class, csv::nextRow);
    assertEquals(3, e.line());
    assertEquals("big.csv", e.source());
    assertEquals("line longer than " + Csv.MAX_LINE_CHARS + " characters", e.reason());
    assertTrue(csv.nextRow());
    assertEquals("2", csv.text());
    assertEquals(4, csv.line());
    assertFalse(csv.nextRow());
  }

  @Test
  void quotedFieldsAreUnquotedOnlyWhenAskedFor() {
    Csv quoted = new Csv(new StringReader("\"a,b\",\"say \"\"hi\"\"\",,\"\"\n"), null, 4, true);
    assertTrue(quoted.nextRow());
    assertEquals(4, quoted.fields());
    assertEquals("a,b", quoted.field(0));
    assertEquals("say \"hi\"", quoted.field(1));
    assertTrue(quoted.isEmpty(2));
    assertTrue(quoted.isEmpty(3));
    Csv plain = new Csv(new StringReader("\"a,b\"\n"), null, 4);
    assertTrue(plain.nextRow());
    assertEquals(2, plain.fields());
    assertEquals("\"a", plain.field(0));
  }

  @Test
  void trailingCommaIsAnEmptyLastField() {
    Csv csv = new Csv(new StringReader("a,b,\n"), null, 3);
    assertTrue(csv.nextRow());
    assertEquals(3, csv.fields());
    assertTrue(csv.isEmpty(2));
  }
}
