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
 */
public final class PendingSweeper {
  private static final Logger log = LoggerFactory.getLogger(PendingSweeper.class);
  /** Orders woken per sweep at most (the oldest first); the rest wait for the next sweep. */
  static final int BATCH = 1000;

  private PendingSweeper() {}

  private enum Sweep { INSTANCE }

  private record Found(List<String> ids, Throwable failure) {}

  /** Starts the singleton on {@code system} (once per node; the cluster runs one). */
  public static void start(ActorSystem<?> system, OrderQueries queries, Executor reads, Duration interval, Consumer<OrderId> resume) {
    Behavior<Object> sweeper = Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Sweep.INSTANCE, interval);
      return Behaviors.receiveMessage(m -> {
        if (m == Sweep.INSTANCE) {
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
