package io.tickloom.persistence;

import io.tickloom.protocol.Timeframe;
import java.util.List;

/**
 * Read side of the stored indicator values (confirmed values per final bar, the latest computation of each bar).
 * Blocking JDBC: call from a blocking dispatcher.
 */
public interface IndicatorQueries {
  /**
   * Stored values of {@code token}/{@code tf} for bars with {@code from <= start < to}, oldest first; when more than
   * {@code limit} match, the newest {@code limit} of them. Each row holds every output stored for its bar.
   */
  List<IndicatorRow> indicators(long token, Timeframe tf, long from, long to, int limit);

  /**
   * Confirmed indicator values of one final bar. {@code values[i]} belongs to {@code names.get(i)}; NaN where the
   * indicator had no value yet. Rows read from the store list only the outputs that had a value, in the store's key
   * order (not the configured order): look values up by name. Values are stored rounded to 8 decimals (as rendered), so they read back as the
   * double nearest to that decimal.
   */
  record IndicatorRow(long token, Timeframe tf, long start, List<String> names, double[] values) {
    /** The value of output {@code name}, NaN when absent or not yet defined. */
    public double value(String name) {
      int i = names.indexOf(name);
      return i < 0 ? Double.NaN : values[i];
    }
  }
}
