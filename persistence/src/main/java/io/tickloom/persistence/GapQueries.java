package io.tickloom.persistence;

import io.tickloom.protocol.Gap;
import java.util.List;

/** Read side of the gap store. Blocking JDBC: call from a blocking dispatcher. */
public interface GapQueries {
  /** Gaps of {@code token} opened in {@code [from, to)}, oldest first, at most {@code limit}. */
  List<Gap> gaps(long token, long from, long to, int limit);
}
