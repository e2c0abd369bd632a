package io.tickloom.http;

import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.Timestamps;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.pekko.http.javadsl.model.Query;

/**
 * Reads and validates the query parameters of one request, collecting every problem instead of stopping at the
 * first, so one 400 answer names all bad parameters. Each getter returns a harmless placeholder when its
 * parameter is bad; check {@link #errors()} before using any value.
 */
final class QueryParams {
  private final Query query;
  private final List<Problem.FieldError> errors = new ArrayList<>();

  QueryParams(Query query) {
    this.query = query;
  }

  List<Problem.FieldError> errors() {
    return errors;
  }

  boolean valid() {
    return errors.isEmpty();
  }

  private Optional<String> raw(String name) {
    return query.get(name).map(String::trim).filter(s -> !s.isEmpty());
  }

  private void error(String field, String reason) {
    errors.add(new Problem.FieldError(field, reason));
  }

  /** A required instrument token (int64). */
  long token() {
    Optional<String> v = raw("token");
    if (v.isEmpty()) {
      error("token", "required: the instrument token, e.g. token=256265");
      return 0;
    }
    return parseToken("token", v.get());
  }

  long parseToken(String field, String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      error(field, "must be an integer instrument token, got '" + text + "'");
      return 0;
    }
  }

  Timeframe timeframe(String name, Timeframe dflt) {
    Optional<String> v = raw(name);
    if (v.isEmpty()) return dflt;
    try {
      return Timeframe.parse(v.get());
    } catch (IllegalArgumentException e) {
      error(name, e.getMessage());
      return dflt;
    }
  }

  /** An ISO-8601 instant or epoch milliseconds, as epoch nanoseconds; empty when absent. */
  OptionalLong time(String name) {
    Optional<String> v = raw(name);
    if (v.isEmpty()) return OptionalLong.empty();
    try {
      return OptionalLong.of(Timestamps.parseQuery(v.get()));
    } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
      error(name, e.getMessage());
      return OptionalLong.empty();
    }
  }

  /** {@code from} (default 0) and {@code to} (default open, {@link Long#MAX_VALUE}); refuses {@code from > to}. */
  long[] range() {
    OptionalLong from = time("from");
    OptionalLong to = time("to");
    long f = from.orElse(0L);
    long t = to.orElse(Long.MAX_VALUE);
    if (from.isPresent() && to.isPresent() && f > t) error("to", "must not be before from");
    return new long[] {f, t};
  }

  int limit(int dflt, int max) {
    Optional<String> v = raw("limit");
    if (v.isEmpty()) return dflt;
    try {
      int n = Integer.parseInt(v.get());
      if (n < 1 || n > max) {
        error("limit", "must be between 1 and " + max + ", got " + n);
        return dflt;
      }
      return n;
    } catch (NumberFormatException e) {
      error("limit", "must be an integer between 1 and " + max + ", got '" + v.get() + "'");
      return dflt;
    }
  }

  /** An optional free-text parameter, trimmed; null when absent or blank. */
  String text(String name) {
    return raw(name).orElse(null);
  }

  /**
   * Indicator names ({@code names=RSI_14,EMA_9}) in their canonical form ({@code canonical} parses one and throws
   * {@link IllegalArgumentException} for a bad one); absent: {@code dflt}. A name given twice is refused.
   */
  List<String> indicatorNames(List<String> dflt, java.util.function.UnaryOperator<String> canonical) {
    Optional<String> v = raw("names");
    if (v.isEmpty()) return dflt;
    List<String> out = new ArrayList<>();
    for (String n : v.get().split(",")) {
      String name = n.trim();
      if (name.isEmpty()) continue;
      try {
        String c = canonical.apply(name);
        if (out.contains(c)) error("names", "indicator " + c + " given twice");
        else out.add(c);
      } catch (IllegalArgumentException e) {
        error("names", e.getMessage());
      }
    }
    if (out.isEmpty() && valid()) error("names", "no indicator named");
    return out;
  }

  boolean present(String name) {
    return raw(name).isPresent();
  }
}
