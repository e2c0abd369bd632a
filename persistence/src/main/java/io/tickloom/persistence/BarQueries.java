package io.tickloom.persistence;

import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Timeframe;
import java.util.List;

/** Read side of the bar store. Blocking JDBC: call from a blocking dispatcher. */
public interface BarQueries {
  /**
   * Final bars of {@code token}/{@code tf} with {@code from <= start < to}, the latest revision of each,
   * oldest first; when more than {@code limit} match, the newest {@code limit} of them.
   */
  List<Bar> bars(long token, Timeframe tf, long from, long to, int limit);
}
