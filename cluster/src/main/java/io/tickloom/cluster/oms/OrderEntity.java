package io.tickloom.cluster.oms;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickloom.cluster.oms.OrderRules.Decision;
import io.tickloom.cluster.oms.OrderRules.Keep;
import io.tickloom.cluster.oms.OrderRules.Persist;
import io.tickloom.cluster.oms.OrderRules.Refuse;
import io.tickloom.protocol.CborSerializable;
import io.tickloom.protocol.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One order, event-sourced and sharded (entity type {@code order}, entity id = {@link OrderId#value()},
 * persistence id {@code order|ACCOUNT.uuid}). Its events are journaled (Pekko Persistence JDBC on PostgreSQL in a
 * node) before any command is answered, so an acknowledged change survives node and database restarts.
 *
 * <p>The rules live in {@link OrderRules} (pure); this class feeds them the state, a clock and the risk limits,
 * journals what they decide and answers every command: {@code StatusReply.success(OrderAck)} or
 * {@code StatusReply.error(reason)} when refused (then nothing was journaled). Events are tagged
 * {@code order-N} with N = account hash mod {@value #TAG_SLICES}: one account's events share a tag, in journal
 * order, for the read-side projections. A snapshot is taken every {@code snapshotEvery} events (2 kept); with 0 (oms.conf's
 * default) none is, and recovery skips the snapshot store.
 */
public final class OrderEntity extends EventSourcedBehaviorWithEnforcedReplies<OrderEntity.Command, OrderEvent, Order> {
  private static final Logger log = LoggerFactory.getLogger(OrderEntity.class);

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "order");
  /** Tag slices of order events. Fixed: changing it moves accounts between tags under running projections. */
  public static final int TAG_SLICES = 4;

  /**
   * What an order entity needs.
   *
   * @param risk pre-trade limits per account
   * @param clock epoch nanoseconds for {@code tsEvent}
   * @param snapshotEvery events between snapshots; 0: no snapshots, and recovery skips the snapshot store
   * @param updates told every journaled event with the order after it ({@link OrderUpdate}), after the write
   * @param venue the venue this node's order entities send their requests to (read at each send)
   * @param handOff how requests are resent while the venue has not answered, and for how long at most
   */
  public record Deps(RiskCheck risk, LongSupplier clock, int snapshotEvery, java.util.function.Consumer<OrderUpdate> updates,
      java.util.function.Supplier<BrokerAdapter> venue, HandOff handOff) {
    public Deps {
      if (snapshotEvery < 0) throw new IllegalArgumentException("snapshotEvery must be 0 (none) or positive, got " + snapshotEvery);
      if (updates == null) updates = u -> { };
      if (venue == null) venue = () -> BrokerAdapter.NONE;
      if (handOff == null) handOff = HandOff.DEFAULT;
    }

    /** Publishing nothing, no venue. */
    public Deps(RiskCheck risk, LongSupplier clock, int snapshotEvery) {
      this(risk, clock, snapshotEvery, null, null, null);
    }

    public static LongSupplier wallClock() {
      return () -> Timestamps.of(Instant.now());
    }
  }

  /**
   * The hand-off to the venue (tickloom.oms.venue): a request (new order, modify, cancel) is sent once journaled, and
   * again after {@code resendAfter}, doubling up to {@code resendMax}, until the venue answers; a request still
   * unanswered after {@code pendingTimeout} is refused by the OMS itself (the order leaves PENDING_*; a new order the
   * venue never acknowledged is REJECTED and a cancel is sent to the venue in case it has it).
   */
  public record HandOff(Duration resendAfter, Duration resendMax, Duration pendingTimeout) {
    public static final HandOff DEFAULT = new HandOff(Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofSeconds(30));
  }

  public sealed interface Command extends CborSerializable {}

  /**
   * Sends the order's pending request to the venue again, if it has one (the pending-order sweeper wakes orders whose
   * entity stopped with its node; a resent request is idempotent at the venue). No answer.
   */
  public enum Resume implements Command { INSTANCE }

  /** The hand-off timer: resend, or give up after the pending timeout. */
  private enum HandOffTimer implements Command { INSTANCE }

  /**
   * Place the order {@code request} names; a retry with the same request answers the existing order
   * ({@link OrderAck#created()} false). {@code openOrders} is the account's open-order count for the max-open-orders
   * rule ({@link RiskCheck#UNKNOWN_OPEN_ORDERS} skips it), counted by the caller ({@link OrderService}: the read side).
   */
  public record Place(OrderRequest request, RiskCheck.Market market, int openOrders, ActorRef<StatusReply<OrderAck>> replyTo)
      implements Command {
    /** Without an open-order count: the max-open-orders rule is skipped. */
    public Place(OrderRequest request, RiskCheck.Market market, ActorRef<StatusReply<OrderAck>> replyTo) {
      this(request, market, RiskCheck.UNKNOWN_OPEN_ORDERS, replyTo);
    }
  }

  /** Request a new total qty and price (0 for MARKET/SL_M) from the venue; risk-checked against {@code market}. */
  public record Modify(long qty, long price, RiskCheck.Market market, ActorRef<StatusReply<OrderAck>> replyTo) implements Command {}

  /** Request a cancel of the open quantity from the venue. */
  public record Cancel(String reason, ActorRef<StatusReply<OrderAck>> replyTo) implements Command {}

  /** Broker report: the venue accepted the order. */
  public record Accept(ActorRef<StatusReply<OrderAck>> replyTo) implements Command {}

  /** Broker report: the venue refused the order, or the pending cancel or modify. */
  public record Reject(String reason, ActorRef<StatusReply<OrderAck>> replyTo) implements Command {}

  /** Broker report: the venue refused the pending cancel (needed when a modify is pending too). */
  public record CancelReject(String reason, ActorRef<StatusReply<OrderAck>> replyTo) implements Command {}

  /** Broker report: the venue refused the pending modify (needed when a cancel is pending too). */
  public record ModifyReject(String reason, ActorRef<StatusReply<OrderAck>> replyTo) implements Command {}

  /** Broker report: a trade of {@code qty} at {@code price}; {@code tradeId} is unique per venue trade (repeats are ignored). */
  public record Fill(long qty, long price, String tradeId, ActorRef<StatusReply<OrderAck>> replyTo) implements Command {}

  /** Broker report: the venue cancelled the order (requested or not). */
  public record CancelAck(ActorRef<StatusReply<OrderAck>> replyTo) implements Command {}

  /** Broker report: the venue applied the pending modify. */
  public record ModifyAck(ActorRef<StatusReply<OrderAck>> replyTo) implements Command {}

  /** Broker report: the order's open quantity expired. */
  public record Expire(ActorRef<StatusReply<OrderAck>> replyTo) implements Command {}

  /** The order as it is; an error when it was never placed. */
  public record Get(ActorRef<StatusReply<OrderView>> replyTo) implements Command {}

  /**
   * Registers the sharded entity type on this node. Orders passivate after {@code idleTimeout} without
   * commands (overriding the node-wide {@code passivation.strategy = none} instrument entities need).
   */
  public static void init(ActorSystem<?> system, Deps deps, Duration idleTimeout) {
    Config sharding = ConfigFactory.parseString("passivation.strategy = default-idle-strategy\n"
            + "passivation.default-idle-strategy.idle-entity.timeout = " + idleTimeout.toMillis() + "ms")
        .withFallback(system.settings().config().getConfig("pekko.cluster.sharding"));
    ClusterShardingSettings settings = ClusterShardingSettings.fromConfig(sharding);
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, ctx -> create(OrderId.parse(ctx.getEntityId()), deps)).withSettings(settings));
  }

  /** The behavior of order {@code id}; restarted with backoff when the journal fails. */
  public static Behavior<Command> create(OrderId id, Deps deps) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new OrderEntity(id, deps, ctx, timers)));
  }

  /** The tag of every event of {@code account}'s orders. */
  public static String tag(String account) {
    return "order-" + Math.floorMod(account.hashCode(), TAG_SLICES);
  }

  private final OrderId id;
  private final Deps deps;
  private final Set<String> tags;
  private final org.apache.pekko.actor.typed.javadsl.ActorContext<Command> ctx;
  private final org.apache.pekko.actor.typed.javadsl.TimerScheduler<Command> timers;
  /** Sends of the current pending request (the next resend waits resendAfter x 2^(sends-1), at most resendMax). */
  private int sends;

  private OrderEntity(OrderId id, Deps deps, org.apache.pekko.actor.typed.javadsl.ActorContext<Command> ctx,
      org.apache.pekko.actor.typed.javadsl.TimerScheduler<Command> timers) {
    super(PersistenceId.of(TYPE_KEY.name(), id.value()),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.id = id;
    this.deps = deps;
    this.tags = Set.of(tag(id.account()));
    this.ctx = ctx;
    this.timers = timers;
  }

  @Override
  public Order emptyState() {
    return Order.EMPTY;
  }

  @Override
  public CommandHandlerWithReply<Command, OrderEvent, Order> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Place.class, (o, c) -> answer(o, place(o, c), c.replyTo()))
        .onCommand(Modify.class, (o, c) -> answer(o, OrderRules.modify(o, c.qty(), c.price(), deps.risk(), c.market(), now()), c.replyTo()))
        .onCommand(Cancel.class, (o, c) -> answer(o, OrderRules.cancel(o, c.reason(), now()), c.replyTo()))
        .onCommand(Accept.class, (o, c) -> answer(o, OrderRules.accept(o, now()), c.replyTo()))
        .onCommand(Reject.class, (o, c) -> answer(o, OrderRules.reject(o, c.reason(), now()), c.replyTo()))
        .onCommand(CancelReject.class, (o, c) -> answer(o, OrderRules.cancelReject(o, c.reason(), now()), c.replyTo()))
        .onCommand(ModifyReject.class, (o, c) -> answer(o, OrderRules.modifyReject(o, c.reason(), now()), c.replyTo()))
        .onCommand(Fill.class, (o, c) -> answer(o, OrderRules.fill(o, c.qty(), c.price(), c.tradeId(), now()), c.replyTo()))
        .onCommand(CancelAck.class, (o, c) -> answer(o, OrderRules.cancelAck(o, now()), c.replyTo()))
        .onCommand(ModifyAck.class, (o, c) -> answer(o, OrderRules.modifyAck(o, now()), c.replyTo()))
        .onCommand(Expire.class, (o, c) -> answer(o, OrderRules.expire(o, now()), c.replyTo()))
        .onCommand(Get.class, (o, c) -> Effect().reply(c.replyTo(),
            o.exists() ? StatusReply.success(o.view()) : StatusReply.error("no such order")))
        .onCommand(Resume.class, (o, c) -> handOff(o))
        .onCommand(HandOffTimer.class, (o, c) -> handOff(o))
        .build();
  }

  private static boolean pending(OrderStatus s) {
    return s == OrderStatus.PENDING_NEW || s == OrderStatus.PENDING_CANCEL || s == OrderStatus.PENDING_MODIFY;
  }

  /**
   * The order's pending request to the venue, again: sent (and the next resend armed) while it is within the pending
   * timeout; past it the OMS refuses the request itself, as a venue reject would (journaled), so no order stays
   * PENDING_* longer than the timeout. Nothing for an order with no request pending.
   */
  private ReplyEffect<OrderEvent, Order> handOff(Order o) {
    if (!o.exists() || !pending(o.status())) {
      sends = 0;
      timers.cancel(HandOffTimer.INSTANCE);
      return Effect().noReply();
    }
    long waited = now() - o.updatedAt();
    if (waited < deps.handOff().pendingTimeout().toNanos()) {
      send(o);
      return Effect().noReply();
    }
    String what = switch (o.status()) {
      case PENDING_NEW -> "the new order";
      case PENDING_CANCEL -> "the cancel";
      default -> "the modify";
    };
    String reason = "venue " + deps.venue().get().name() + " did not acknowledge " + what + " within "
        + deps.handOff().pendingTimeout().toSeconds() + " s";
    log.warn("order {}: {} (sent {} times); refused by the OMS", id, reason, sends);
    Decision d = OrderRules.timeOut(o, reason, now());
    if (!(d instanceof Persist p)) return Effect().noReply();
    boolean wasNew = o.status() == OrderStatus.PENDING_NEW;
    return Effect().persist(p.events()).thenRun(after -> {
      published(p.events(), o);
      sends = 0;
      timers.cancel(HandOffTimer.INSTANCE);
      // In case the venue took the order after all: ask it to cancel (it answers "too late" for one it does not have).
      if (wasNew) venueSend("cancel", after.view(), v -> deps.venue().get().cancel(v));
    }).thenNoReply();
  }

  /** Sends the pending request of {@code o} to the venue and arms the next resend. */
  private void send(Order o) {
    OrderView v = o.view();
    switch (o.status()) {
      case PENDING_NEW -> venueSend("place", v, x -> deps.venue().get().place(x));
      case PENDING_CANCEL -> venueSend("cancel", v, x -> deps.venue().get().cancel(x));
      case PENDING_MODIFY -> venueSend("modify", v, x -> deps.venue().get().modify(x));
      default -> { return; }
    }
    sends++;
    long delay = Math.min(deps.handOff().resendMax().toNanos(), deps.handOff().resendAfter().toNanos() << Math.min(sends - 1, 16));
    long left = deps.handOff().pendingTimeout().toNanos() - (now() - o.updatedAt());
    timers.startSingleTimer(HandOffTimer.INSTANCE, Duration.ofNanos(Math.max(1_000_000L, Math.min(delay, left))));
  }

  /** An adapter that throws (it must not) is logged; the resend timer tries again. */
  private void venueSend(String what, OrderView v, java.util.function.Consumer<OrderView> send) {
    try {
      send.accept(v);
    } catch (RuntimeException e) {
      log.error("venue {} failed to take the {} of order {}", deps.venue().get().name(), what, id, e);
    }
  }

  private Decision place(Order o, Place c) {
    OrderRequest r = c.request();
    if (r.problem() == null && !r.orderId().equals(id)) {
      return new Refuse("account '" + r.account() + "' and clientOrderId '" + r.clientOrderId() + "' name order " + r.orderId()
          + ", not " + id);
    }
    return OrderRules.place(o, r, deps.risk(), c.market(), c.openOrders(), now());
  }

  private ReplyEffect<OrderEvent, Order> answer(Order o, Decision d, ActorRef<StatusReply<OrderAck>> replyTo) {
    if (d instanceof Persist p) {
      return Effect().persist(p.events())
          .thenRun(s -> {
            published(p.events(), o);
            if (pending(s.status()) && s.status() != o.status()) {
              // A new request for the venue, journaled: it goes now, and again until the venue answers.
              sends = 0;
              send(s);
            } else if (!pending(s.status())) {
              sends = 0;
              timers.cancel(HandOffTimer.INSTANCE);
            }
          })
          .thenReply(replyTo, s -> StatusReply.success(new OrderAck(s.view(), p.outcome())));
    }
    if (d instanceof Keep k) {
      // Keep is only decided for an order that exists. A client's retry of an order still waiting for the venue resumes
      // its hand-off at once.
      if (k.outcome() == OrderAck.Outcome.EXISTING && pending(o.status())) send(o);
      return Effect().reply(replyTo, StatusReply.success(new OrderAck(o.view(), k.outcome())));
    }
    return Effect().reply(replyTo, StatusReply.error(((Refuse) d).reason()));
  }

  /**
   * Publishes the journaled {@code events} ({@code before}: the state they were applied to; the last event has the
   * entity's last sequence number), each with the order as it stands after it.
   */
  private void published(java.util.List<OrderEvent> events, Order before) {
    long last = lastSequenceNumber(ctx);
    int n = events.size();
    Order o = before;
    for (int i = 0; i < n; i++) {
      o = o.apply(events.get(i));
      deps.updates().accept(new OrderUpdate(id.account(), id.value(), last - (n - 1 - i), events.get(i), o.view()));
    }
  }

  private long now() {
    return deps.clock().getAsLong();
  }

  @Override
  public EventHandler<Order, OrderEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(Order::apply);
  }

  @Override
  public Set<String> tagsFor(OrderEvent event) {
    return tags;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return deps.snapshotEvery() == 0 ? RetentionCriteria.disabled() : RetentionCriteria.snapshotEvery(deps.snapshotEvery(), 2);
  }

  /**
   * Without snapshots (the default: an order has a handful of events) recovery asks the snapshot store nothing: one read
   * fewer per order recovered, which every new order is.
   */
  @Override
  public org.apache.pekko.persistence.typed.javadsl.Recovery recovery() {
    return deps.snapshotEvery() == 0
        ? org.apache.pekko.persistence.typed.javadsl.Recovery.withSnapshotSelectionCriteria(org.apache.pekko.persistence.typed.SnapshotSelectionCriteria.none())
        : super.recovery();
  }

  @Override
  public SignalHandler<Order> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryFailed.class, (state, signal) -> log.error("order {} failed to recover: {}", id, signal.getFailure().toString()))
        // An order recovered with a request pending (its entity stopped with its node, or was passivated): resume the
        // hand-off (at once, or refuse it if the pending timeout has passed).
        .onSignal(org.apache.pekko.persistence.typed.RecoveryCompleted.class, (state, signal) -> {
          // A working order's entity started (node restart, hand-off, passivation): the venue of this node is told, so
          // it takes the order back if it does not know it, or reports what the OMS missed (BrokerAdapter#reconcile).
          if (state.exists() && state.status() != OrderStatus.PENDING_NEW && state.status().open()) {
            venueSend("reconcile", state.view(), v -> deps.venue().get().reconcile(v));
          }
          if (state.exists() && pending(state.status())) timers.startSingleTimer(HandOffTimer.INSTANCE, Duration.ZERO);
        })
        .build();
  }
}
