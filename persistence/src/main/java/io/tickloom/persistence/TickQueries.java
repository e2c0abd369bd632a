package io.tickloom.persistence;

import io.tickloom.protocol.Tick;
import java.util.List;
import java.util.function.Consumer;

/** Read side of the tick store. Blocking JDBC: call from a blocking dispatcher, never an actor or route thread. */
public interface TickQueries {
  /**
   * Ticks of {@code token} with {@code from <= exchangeTs < to}, ordered by (exchangeTs, dedupeKey) — the
   * stored key's order; ticks sharing a timestamp keep their trade id (else seq) order — at most
   * {@code limit}, starting after {@code cursor} (null for the first page).
   *
   * @throws IllegalArgumentException when the cursor is not one this store produced
   */
  Page<Tick> page(long token, long from, long to, int limit, String cursor);

  /** The newest {@code n} ticks of {@code token}, oldest first. */
  List<Tick> latest(long token, int n);

  /** Streams every stored tick of {@code token} in {@code [from, to)} ordered by (exchangeTs, dedupeKey). */
  void scan(long token, long from, long to, Consumer<Tick> sink);
}
