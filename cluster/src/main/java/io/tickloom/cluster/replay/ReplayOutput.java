package io.tickloom.cluster.replay;

import io.tickloom.cluster.MarketEvent;
import io.tickloom.cluster.oms.OrderService;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Tick;
import java.util.List;

/**
 * What a replay session streams to its subscribers: {@link Batch}es (and, for a replay with an account, {@link Orders})
 * in exchange-time order, then one {@link End}.
 */
public sealed interface ReplayOutput {
  /** The run the element belongs to (a seek starts a new one; older runs' elements are not delivered). */
  int run();

  /**
   * One slice of the merged stream, processed.
   *
   * @param ticks the ticks in global exchange-time order as feed {@code replay}, each with the status the replay's
   *     sequencer gave it (duplicates the replay's deduper dropped are not in it)
   * @param bars final bars and revisions of the requested timeframes, in the order the kernels produced them
   * @param values confirmed indicator values of the requested timeframes, after the bars they belong to
   */
  record Batch(int run, List<Tick> ticks, List<Bar> bars, List<MarketEvent.IndicatorUpdate> values) implements ReplayOutput {}

  /**
   * Journaled events of the replay's account ({@link ReplayRequest#account()}), due at this point of the stream: after
   * every tick with {@code exchangeTs <= tsEvent}, before the later ones ({@link OrderInterleave}); by tsEvent, journal
   * order on ties.
   */
  record Orders(int run, List<OrderService.AccountEvent> events) implements ReplayOutput {}

  /** The session ended: {@code state} ENDED, CANCELLED or FAILED; counts over the whole session. */
  record End(int run, ReplayStatus status) implements ReplayOutput {}
}
