package io.tickloom.protocol.format;

/**
 * A malformed row of an input file: where ({@link #source()}, 1-based {@link #line()}) and why
 * ({@link #reason()}). Parsers throw it before producing anything from the row, so a row is never half
 * applied. The message reads {@code FILE:LINE: REASON} (or {@code line LINE: REASON} without a source).
 */
public final class FormatException extends RuntimeException {
  private final String source;
  private final long line;
  private final String reason;

  public FormatException(String source, long line, String reason) {
    super((source == null ? "line " + line : source + ":" + line) + ": " + reason);
    this.source = source;
    this.line = line;
    this.reason = reason;
  }

  public FormatException(long line, String reason) {
    this(null, line, reason);
  }

  /** File name (or other source label), or null when the parser was not told one. */
  public String source() {
    return source;
  }

  /** 1-based line number of the malformed row. */
  public long line() {
    return line;
  }

  /** Why the row was refused, without the position. */
  public String reason() {
    return reason;
  }

  /** The same error attributed to {@code source}. */
  public FormatException withSource(String newSource) {
    FormatException e = new FormatException(newSource, line, reason);
    e.setStackTrace(getStackTrace());
    return e;
  }
}
