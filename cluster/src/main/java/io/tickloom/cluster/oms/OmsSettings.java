package io.tickloom.cluster.oms;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code tickloom.oms} (oms.conf), parsed once.
 *
 * @param askTimeout timeout of asks to order entities
 * @param passivateIdleAfter an idle order entity is stopped after this long
 * @param snapshotEvery events between snapshots of one order
 * @param journalPoolSize connections of the journal's pool
 * @param risk pre-trade limits per account
 * @param maxInFlight client commands (place, modify, cancel) this node has asked and not yet had answered, at most; more are
 *     refused at once ({@link InFlightLimit.Overloaded}); 0: no limit
 * @param handOff how requests go to the venue (tickloom.oms.venue)
 * @param sweepInterval how often pending orders are looked for on the read side ({@link PendingSweeper})
 */
public record OmsSettings(Duration askTimeout, Duration passivateIdleAfter, int snapshotEvery, int journalPoolSize, RiskCheck risk,
    int maxInFlight, OrderEntity.HandOff handOff, Duration sweepInterval) {

  /** Reads {@code tickloom.oms} of a node's configuration (one that {@link OmsConfig} layered). */
  public static OmsSettings fromConfig(Config config) {
    Config c = config.getConfig("tickloom.oms");
    return new OmsSettings(c.getDuration("ask-timeout"), c.getDuration("passivate-idle-after"), c.getInt("snapshot-every"),
        c.getInt("journal-pool-size"), RiskCheck.fromConfig(c.getConfig("risk")), c.getInt("max-in-flight"),
        new OrderEntity.HandOff(c.getDuration("venue.resend-after"), c.getDuration("venue.resend-max"), c.getDuration("venue.pending-timeout")),
        c.getDuration("venue.sweep-interval"));
  }
}
