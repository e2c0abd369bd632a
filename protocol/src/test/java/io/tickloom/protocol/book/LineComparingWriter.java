package io.tickloom.protocol.book;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * A writer that compares every line written with the next line of an expected input, keeping the count of lines
 * compared and the first difference, without holding either whole (the LOBSTER days are tens of megabytes).
 */
final class LineComparingWriter extends Writer {
  private final BufferedReader expected;
  private final StringBuilder line = new StringBuilder(512);
  long compared;
  long firstMismatch = -1;
  String firstExpected;
  String firstActual;

  LineComparingWriter(BufferedReader expected) {
    this.expected = expected;
  }

  @Override
  public void write(char[] buf, int off, int len) {
    for (int i = off; i < off + len; i++) {
      char c = buf[i];
      if (c == '\n') lineDone();
      else line.append(c);
    }
  }

  @Override
  public Writer append(CharSequence cs) {
    for (int i = 0; i < cs.length(); i++) {
      char c = cs.charAt(i);
      if (c == '\n') lineDone();
      else line.append(c);
    }
    return this;
  }

  private void lineDone() {
    compared++;
    String want;
    try {
      want = expected.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (firstMismatch < 0 && (want == null || !want.contentEquals(line))) {
      firstMismatch = compared;
      firstExpected = want;
      firstActual = line.toString();
    }
    line.setLength(0);
  }

  /** True when the expected input has lines left that were never written. */
  boolean expectedHasMore() throws IOException {
    return expected.readLine() != null;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
