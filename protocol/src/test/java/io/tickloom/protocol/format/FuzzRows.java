package io.tickloom.protocol.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The contract of the line readers, checked on whatever bytes a fuzz test hands them (see {@code ParserFuzzTest}):
 * each call returns a row, null at the end, or throws a {@link FormatException} naming the line just read (source
 * {@value #SOURCE}, a reason); after such an exception the reader stands after that line and reads on. Input the
 * charset cannot decode is refused at a line not yet delivered, and the reader then cannot go on.
 */
final class FuzzRows {
  private FuzzRows() {}

  static final String SOURCE = "fuzz.csv";

  /** What the fuzz tests need of a reader: the next row (or null) and the last line read. */
  interface Rows<T> {
    T next();

    long line();
  }

  /**
   * The text of {@code bytes} when they are well-formed UTF-8, without a leading byte order mark (which the JSON byte
   * readers skip), else null: where the byte and the String entry points of a JSON reader must agree.
   */
  static String strictUtf8(byte[] bytes) {
    try {
      String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
      return s.startsWith("\uFEFF") ? s.substring(1) : s;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Reads {@code bytes} as UTF-8 twice, replacing and strictly decoding, and checks every row with {@code check}. */
  static <T> void readAll(byte[] bytes, Function<Reader, Rows<T>> open, Consumer<T> check) {
    readAll(open.apply(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8)), check, false);
    Reader strict = new InputStreamReader(new ByteArrayInputStream(bytes),
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
    readAll(open.apply(strict), check, true);
  }

  private static <T> void readAll(Rows<T> rows, Consumer<T> check, boolean strict) {
    long last = 0;
    while (true) {
      T row;
      try {
        row = rows.next();
      } catch (FormatException e) {
        assertEquals(SOURCE, e.source());
        assertFalse(e.reason().isBlank(), "a reason");
        long before = last;
        assertTrue(e.line() > before, () -> "error at line " + e.line() + " after line " + before + ": " + e.getMessage());
        if (e.reason().startsWith("undecodable bytes")) {
          assertTrue(strict, "only a strict decoder reports undecodable bytes");
          return;
        }
        assertEquals(rows.line(), e.line(), () -> "the reader stands after the refused line: " + e.getMessage());
        last = e.line();
        continue;
      }
      if (row == null) return;
      assertTrue(rows.line() > last, "each row is on a later line");
      last = rows.line();
      check.accept(row);
    }
  }
}
