package io.tickloom.cluster.oms;

import io.tickloom.persistence.OrderQueries;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes orders whose request to the venue is pending while their entity is not running (it stopped with its node, or
 * was passivated): one cluster singleton that every {@code sweep-interval} reads from the read side the orders pending
 * for longer than that and sends each a {@link OrderEntity.Resume}, which restarts its entity (recovered from the
 * journal) and resumes the hand-off: the request goes to the venue again, or the OMS refuses it past the pending
 * timeout. An entity that is running anyway resends (idempotent at the venue). The read side lags the journal by its
 * projection's delay, which the interval covers.
 *
 * <p>Working orders (ACCEPTED, PARTIALLY_FILLED) are woken too, once {@code sweep-interval} after the singleton starts
 * (a cluster start or restart) and after each member leaves or is removed (a node that died took its orders' entities and
 * its paper venue's resting orders along): their entities start on the surviving nodes and reconcile with the venue
 * there ({@link BrokerAdapter#reconcile}: the paper venue rests them again). An entity that kept running does nothing.
 * At most {@value #WORKING_BATCH} per sweep (logged when there are more).
 */
public final class PendingSweeper {
  private static final Logger log = LoggerFactory.getLogger(PendingSweeper.class);
  /** Orders woken per sweep at most (the oldest first); the rest wait for the next sweep. */
  static final int BATCH = 1000;
  /** Working orders woken per working sweep at most. */
  static final int WORKING_BATCH = 10_000;

  private PendingSweeper() {}

  private enum Sweep { INSTANCE }

  private enum SweepWorking { INSTANCE }

  private record FoundWorking(List<String> ids, Throwable failure) {}

  private record Found(List<String> ids, Throwable failure) {}

  /** Starts the singleton on {@code system} (once per node; the cluster runs one). */
  public static void start(ActorSystem<?> system, OrderQueries queries, Executor reads, Duration interval, Consumer<OrderId> resume) {
    Behavior<Object> sweeper = Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Sweep.INSTANCE, interval);
      // Working orders: once the venue had time to connect, and after every member removal (see the class doc).
      timers.startSingleTimer(SweepWorking.INSTANCE, interval);
      org.apache.pekko.cluster.typed.Cluster.get(system).subscriptions().tell(org.apache.pekko.cluster.typed.Subscribe.create(
          ctx.getSelf().<org.apache.pekko.cluster.ClusterEvent.MemberRemoved>narrow(),
          org.apache.pekko.cluster.ClusterEvent.MemberRemoved.class));
      return Behaviors.receiveMessage(m -> {
        if (m instanceof org.apache.pekko.cluster.ClusterEvent.MemberRemoved removed) {
          log.info("{} left the cluster: working orders are woken in {} to reconcile with the venues of the nodes that remain",
              removed.member().address(), interval);
          timers.startSingleTimer(SweepWorking.INSTANCE, interval);
        } else if (m == SweepWorking.INSTANCE) {
          ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> queries.working(WORKING_BATCH), reads), (ids, failure) -> new FoundWorking(ids, failure));
        } else if (m instanceof FoundWorking f) {
          if (f.failure() != null) {
            log.warn("working-order sweep could not read the read side (next try in {}): {}", interval, f.failure().toString());
            timers.startSingleTimer(SweepWorking.INSTANCE, interval);
          } else if (!f.ids().isEmpty()) {
            log.info("working-order sweep: waking {} working order(s) to reconcile with the venue{}", f.ids().size(),
                f.ids().size() == WORKING_BATCH ? " (the first " + WORKING_BATCH + "; more are woken when addressed)" : "");
            for (String id : f.ids()) {
              try {
                resume.accept(OrderId.parse(id));
              } catch (IllegalArgumentException e) {
                log.warn("working-order sweep: order id {} on the read side does not parse: {}", id, e.getMessage());
              }
            }
          }
        } else if (m == Sweep.INSTANCE) {
          long before = System.currentTimeMillis() * 1_000_000L - interval.toNanos();
          ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> queries.pendingBefore(before, BATCH), reads),
              (ids, failure) -> new Found(ids, failure));
        } else if (m instanceof Found f) {
          if (f.failure() != null) {
            log.warn("pending-order sweep could not read the read side (next try in {}): {}", interval, f.failure().toString());
          } else if (!f.ids().isEmpty()) {
            log.info("pending-order sweep: waking {} order(s) waiting for the venue", f.ids().size());
            for (String id : f.ids()) {
              try {
                resume.accept(OrderId.parse(id));
              } catch (IllegalArgumentException e) {
                log.warn("pending-order sweep: order id {} on the read side does not parse: {}", id, e.getMessage());
              }
            }
          }
        }
        return Behaviors.same();
      });
    }));
    ClusterSingleton.get(system).init(SingletonActor.of(
        Behaviors.supervise(sweeper).onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)),
        "oms-pending-sweeper"));
  }
}
