package io.tickloom.deploy.faults;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one fault scenario, all taken from outside the product (its REST API and {@code /metrics}, the
 * WebSocket frames a real client got, SQL on its database, its logs). Times in milliseconds; {@code -1} where a figure
 * could not be taken, {@link Double#POSITIVE_INFINITY} for "never" (an instrument that never resumed).
 *
 * @param scenario the scenario's name
 * @param cluster what the harness did and saw of the cluster
 * @param ingest ticks the feed produced and what became of them
 * @param stream what the WebSocket client got
 * @param orders what became of the orders the loop placed
 * @param notes observations in words (log evidence, figures that could not be taken and why)
 */
public record FaultFigures(String scenario, Cluster cluster, Ingest ingest, Stream stream, Orders orders, List<String> notes) {

  /**
   * @param nodes node JVMs started
   * @param faultedNode the node the fault hit (0: the database)
   * @param faultExitCode exit code of the faulted node's JVM (137 = SIGKILL; -1 when no node was stopped)
   * @param faultAt epoch ms of the fault
   * @param instruments instruments subscribed
   * @param affected instruments whose entity the fault hit (on the faulted node at the fault; every instrument when the
   *     database was the fault)
   * @param survivors instruments whose entity was on another node (every instrument for a database fault)
   * @param unplaced instruments whose node at the fault the coordinator's log did not tell
   * @param caughtUp whether every instrument's storage and the WebSocket got past the observation before the figures were
   *     taken (bounded by {@code catch-up})
   * @param measuredAfterMs when the figures were taken, ms after the fault: the end of the fault window
   * @param balancedAfterMs in a scenario where a node (re)joins: ms from its readiness until it held its share of the
   *     instrument shards (allocated shards / nodes, less one) by the coordinator's log; -1 when no node joined,
   *     {@link Double#POSITIVE_INFINITY} as {@code Long.MAX_VALUE} when it never did within the window
   */
  public record Cluster(int nodes, int faultedNode, int faultExitCode, long faultAt, int instruments, int affected, int survivors,
      int unplaced, boolean caughtUp, long measuredAfterMs, long balancedAfterMs) {}

  /**
   * @param sourceTicks {@code tickloom_ingest_source_ticks_total{source="sim"}} on the feed node: ticks the feed produced
   * @param received {@code tickloom_ingest_received_total} on the feed node when the figures were taken (time T)
   * @param stored {@code tickloom_ingest_stored_total} on the feed node (rows new to the store)
   * @param undelivered {@code tickloom_ingest_undelivered_total}: ticks dropped because their entity could not be reached
   * @param duplicates {@code tickloom_ingest_duplicates_total} summed over the nodes alive at the end: ticks the entities
   *     dropped as duplicates. The harness's simulator sends none, so each one is a resend the product did not recognise
   *     as its own, or a tick wrongly dropped (then missing from the store)
   * @param unknownOrInvalid unknown-instrument plus invalid ticks
   * @param storeFailures failed-and-retried tick writes
   * @param receivedNotStored ticks received by T (minus unknown/invalid) that are not in the {@code ticks} table (rows
   *     whose receive time is at or before T, counted once the store stopped growing), T being the instant node 1
   *     answered the counters: ticks lost whatever the reason (undelivered, dropped as duplicate, stuck in the
   *     pipeline); a lower bound, short by the few ticks received while the counters were being read
   * @param storedRows rows in the {@code ticks} table
   * @param seqHoles seqs missing from the {@code ticks} table below each instrument's highest stored seq (the simulator
   *     drops none on purpose, so each is a lost tick): the SQL cross-check, blind to a lost tail
   * @param seqHolesAfterFault of those, holes whose next stored neighbour came after the fault (the rest were lost before)
   * @param tokensWithHoles instruments with at least one hole
   * @param stalledInstruments instruments with no tick stored from after the observation when the figures were taken
   * @param gapsOpened sequence gaps the product recorded from the quiet start on ({@code gaps} table)
   * @param gapsLost of those, declared LOST
   * @param stallQuietMs longest time the feed node's stored counter stood still in the quiet window (1 s samples)
   * @param stallFaultMs the same after the fault
   */
  public record Ingest(long sourceTicks, long received, long stored, long undelivered, long duplicates, long unknownOrInvalid,
      long storeFailures, long receivedNotStored, long storedRows, long seqHoles, long seqHolesAfterFault, int tokensWithHoles,
      int stalledInstruments, long gapsOpened, long gapsLost, double stallQuietMs, double stallFaultMs) {
    /**
     * Ticks lost: the greater of two lower bounds, ticks received and not stored when the figures were taken, and seqs
     * missing between stored ones.
     */
    public long ticksLost() {
      return Math.max(receivedNotStored, seqHoles);
    }
  }

  /**
   * @param tickFrames live tick frames received
   * @param quietTickFrames of those, frames that arrived in the quiet window
   * @param duplicateFrames tick frames of a (token, key) received more than once
   * @param droppedNotices {@code dropped} frames received, and {@code droppedFrames} the frames they say were dropped
   * @param unknownFrames frames of a type the recorder does not know (kept raw: a future {@code resync})
   * @param errorFrames {@code error} frames
   * @param closures connections that closed or failed while recording
   * @param storedInWindow ticks of the subscribed instruments stored with an exchange time from the quiet start until 4 s
   *     before the figures were taken (the delivery window)
   * @param misses of those, ticks the client never got as a tick frame
   * @param missesInFault of those, ticks with an exchange time at or after the fault
   * @param tokensWithMisses instruments with at least one miss
   * @param silentMisses misses no {@code dropped} notice (or unknown frame) accounts for
   * @param deliveredNotStored tick frames of the window whose tick is not in the store
   * @param quietPauseMs longest interval without a tick frame of a survivor instrument in the quiet window (merged over
   *     the survivors)
   * @param survivorPauseMs the same from the fault until the figures were taken: the survivors' pause
   * @param quietMaxLatencyMs greatest arrival-minus-exchange-time of a survivor tick in the quiet window
   * @param survivorMaxLatencyMs the same after the fault
   * @param worstSurvivor the survivor instrument with the greatest latency in the fault window (symbol)
   * @param resumeMaxMs for the affected instruments, greatest time from the fault (from recovery, for the database) until
   *     their first tick produced after it reached the client (until the figures were taken)
   * @param resumeP50Ms the median of the same
   * @param neverResumed affected instruments with no such tick by the end
   */
  public record Stream(long tickFrames, long quietTickFrames, long duplicateFrames, long droppedNotices, long droppedFrames, long unknownFrames, long errorFrames,
      int closures, long storedInWindow, long misses, long missesInFault, int tokensWithMisses, long silentMisses, long deliveredNotStored,
      double quietPauseMs, double survivorPauseMs, double quietMaxLatencyMs, double survivorMaxLatencyMs, String worstSurvivor,
      double resumeMaxMs, double resumeP50Ms, int neverResumed) {}

  /**
   * @param placed orders the loop tried to place
   * @param acknowledged orders with a 200/201 answer
   * @param refused orders whose final answer was another 4xx/5xx (not retried)
   * @param gaveUp orders still unanswered (503/timeout) when their retry budget ran out
   * @param answered503 orders that got at least one 503
   * @param attempts requests sent, {@code unanswered} of them with no answer (refused/reset/timeout)
   * @param latencyP50Ms median latency of answered requests, {@code latencyP99Ms}, {@code latencyMaxMs} likewise
   * @param states final state per the order entity ({@code GET /api/v1/orders/{id}}; NONE: 404, UNKNOWN: no answer)
   * @param stuck orders still PENDING_NEW / PENDING_CANCEL / PENDING_MODIFY {@code order-settle} after the loop stopped
   * @param existsDespiteFailure orders that exist although every answer said nothing was done (a refusal that lied)
   * @param existsUnconfirmed orders that exist, never acknowledged because the client gave up after an answer that left
   *     it open (no answer, or the timeout 503 "may have been recorded"): truthful, but the client never learnt
   * @param lostAcknowledged acknowledged orders that do not exist (no entity, no journal events)
   * @param readSideStuck orders whose read-side row ({@code orders} table) is pending while the entity's state is final
   * @param readSideMissing orders that exist but have no read-side row
   */
  public record Orders(int placed, int acknowledged, int refused, int gaveUp, int answered503, long attempts, long unanswered,
      double latencyP50Ms, double latencyP99Ms, double latencyMaxMs, Map<String, Integer> states, int stuck, int existsDespiteFailure,
      int existsUnconfirmed,
      int lostAcknowledged, int readSideStuck, int readSideMissing) {}

  /** The figures as one block of text. */
  public String summary() {
    StringBuilder b = new StringBuilder();
    String rule = "=".repeat(100) + "\n";
    b.append(rule).append("FAULT FIGURES  scenario=").append(scenario).append("\n").append(rule);
    line(b, "cluster", "nodes=%d faulted=%s exit=%d instruments=%d affected=%d survivors=%d unplaced=%d caughtUp=%s measured at fault+%s",
        cluster.nodes(), cluster.faultedNode() == 0 ? "database" : "node" + cluster.faultedNode(), cluster.faultExitCode(),
        cluster.instruments(), cluster.affected(), cluster.survivors(), cluster.unplaced(), cluster.caughtUp(), ms(cluster.measuredAfterMs()));
    if (cluster.balancedAfterMs() >= 0) {
      line(b, "BALANCED", "%s after the rejoined node was ready (its share of the instrument shards)",
          cluster.balancedAfterMs() == Long.MAX_VALUE ? "never" : ms(cluster.balancedAfterMs()));
    }
    line(b, "TICKS LOST", "%d   (received, not stored %d; SQL seq holes %d, %d of them after the fault, on %d instruments; counted by the"
        + " product: undelivered %d, dropped as duplicates %d; instruments stalled %d)", ingest.ticksLost(), ingest.receivedNotStored(),
        ingest.seqHoles(), ingest.seqHolesAfterFault(), ingest.tokensWithHoles(), ingest.undelivered(), ingest.duplicates(),
        ingest.stalledInstruments());
    line(b, "ingest", "source=%d received=%d stored=%d unknown/invalid=%d storeFailures=%d storedRows=%d", ingest.sourceTicks(),
        ingest.received(), ingest.stored(), ingest.unknownOrInvalid(), ingest.storeFailures(), ingest.storedRows());
    line(b, "ingest stall", "stored counter flat: quiet %s, after the fault %s   gaps recorded %d (lost %d)", ms(ingest.stallQuietMs()),
        ms(ingest.stallFaultMs()), ingest.gapsOpened(), ingest.gapsLost());
    line(b, "SURVIVOR PAUSE", "%s   (quiet window %s)   max tick latency: fault %s (worst %s), quiet %s", ms(stream.survivorPauseMs()),
        ms(stream.quietPauseMs()), ms(stream.survivorMaxLatencyMs()), stream.worstSurvivor(), ms(stream.quietMaxLatencyMs()));
    line(b, "RESUME TIME", "max %s  p50 %s  never resumed %d (of %d affected)", ms(stream.resumeMaxMs()), ms(stream.resumeP50Ms()),
        stream.neverResumed(), cluster.affected());
    line(b, "SILENT MISSES", "%d   (misses %d, in fault window %d, on %d instruments; of %d stored in window; dropped notices %d for %d frames;"
        + " unknown frames %d)", stream.silentMisses(), stream.misses(), stream.missesInFault(), stream.tokensWithMisses(),
        stream.storedInWindow(), stream.droppedNotices(), stream.droppedFrames(), stream.unknownFrames());
    line(b, "websocket", "tick frames %d (quiet window %d), duplicates %d, delivered-not-stored %d, error frames %d, connection closures %d",
        stream.tickFrames(), stream.quietTickFrames(), stream.duplicateFrames(), stream.deliveredNotStored(), stream.errorFrames(), stream.closures());
    line(b, "STUCK ORDERS", "%d   (exist despite 'nothing was done' %d, exist unconfirmed after the client gave up %d, acknowledged but lost %d,"
        + " read side stuck %d / missing %d)", orders.stuck(), orders.existsDespiteFailure(), orders.existsUnconfirmed(),
        orders.lostAcknowledged(), orders.readSideStuck(), orders.readSideMissing());
    line(b, "orders", "placed %d, acked %d, refused %d, gave up %d, got a 503 %d; attempts %d (unanswered %d); latency p50 %s p99 %s max %s",
        orders.placed(), orders.acknowledged(), orders.refused(), orders.gaveUp(), orders.answered503(), orders.attempts(),
        orders.unanswered(), ms(orders.latencyP50Ms()), ms(orders.latencyP99Ms()), ms(orders.latencyMaxMs()));
    line(b, "order states", "%s", orders.states());
    for (String n : notes) b.append("  note: ").append(n).append('\n');
    b.append(rule);
    return b.toString();
  }

  private static void line(StringBuilder b, String label, String format, Object... args) {
    b.append(String.format(Locale.ROOT, "  %-15s ", label)).append(String.format(Locale.ROOT, format, args)).append('\n');
  }

  static String ms(double ms) {
    if (ms < 0) return "n/a";
    if (Double.isInfinite(ms)) return "never";
    return ms >= 10_000 ? String.format(Locale.ROOT, "%.1f s", ms / 1000) : String.format(Locale.ROOT, "%.0f ms", ms);
  }
}
