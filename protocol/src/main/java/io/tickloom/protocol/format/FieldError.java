package io.tickloom.protocol.format;

/**
 * A refused value of a wire message (a raw tick, a venue message): which {@link #field()} and why
 * ({@link #detail()}). The message reads {@code FIELD: DETAIL}, or just {@code DETAIL} when the field is empty.
 *
 * <p>Field names are the wire names ({@code price}, {@code ts}, Binance's {@code p}); {@code ""} means the value as
 * a whole (an array item that is not an object) and {@code body} the document (not JSON, not an array, too many
 * items). An HTTP endpoint answers it as a 400 problem naming the field; a Kafka consumer sends the record to the
 * dead-letter topic with {@link #getMessage()} as the reason.
 *
 * <p>Refusing input is expected, not exceptional: without a cause the error records no stack trace (cheap to
 * create for every bad item of a large batch).
 */
public final class FieldError extends RuntimeException {
  private final String field;
  private final String detail;

  public FieldError(String field, String detail) {
    super(message(field, detail), null, false, false);
    this.field = field == null ? "" : field;
    this.detail = detail;
  }

  /** With the underlying parser error as cause (keeps its stack trace for diagnosis). */
  public FieldError(String field, String detail, Throwable cause) {
    super(message(field, detail), cause, false, true);
    this.field = field == null ? "" : field;
    this.detail = detail;
  }

  private static String message(String field, String detail) {
    return field == null || field.isEmpty() ? detail : field + ": " + detail;
  }

  /** The wire name of the refused field, {@code ""} for the whole value, {@code body} for the whole document. */
  public String field() {
    return field;
  }

  /** Why the value was refused, without the field name. */
  public String detail() {
    return detail;
  }
}
