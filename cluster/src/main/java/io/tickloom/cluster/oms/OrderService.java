package io.tickloom.cluster.oms;

import io.tickloom.cluster.LiveMarket;
import io.tickloom.persistence.OrderQueries;
import io.tickloom.persistence.OrderRow;
import io.tickloom.persistence.Page;
import io.tickloom.persistence.Position;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * The OMS as callers (REST routes, broker adapters, benchmarks) use it: asks to the sharded {@link OrderEntity}s
 * with the configured timeout, and an order's journaled events through Pekko Persistence Query (JDBC read
 * journal). A refused command fails its stage with {@link StatusReply.ErrorMessage} carrying the reason.
 * Thread-safe; blocks nothing.
 *
 * <p>The venue: once an entity has journaled a new order (created, not rejected by risk), a modify or a cancel, it sends
 * the request to the connected {@link BrokerAdapter} ({@link BrokerAdapter#NONE} until {@link #connect}) and again
 * until the venue answers, at most {@link OrderEntity.HandOff#pendingTimeout} ({@code tickloom.oms.venue}); an order
 * whose entity stopped with its node is woken by the pending-order sweeper ({@link PendingSweeper}). The venue's reports
 * come back through {@link #reports()}.
 *
 * <p>The read side ({@link #startReadSide}: {@link OrderProjection} into {@code orders}, {@code fills},
 * {@code positions}) answers {@link #history}, {@link #positions} and the open-order count of the max-open-orders rule.
 * That count is the read side's open orders of the account plus the orders this node created for it that the read
 * side does not show yet (read-your-writes on one node); orders placed on other nodes count once projected
 * (a lag of the read journal's refresh interval plus one projection batch), and places of one account racing on this
 * node may each see the count before the others: the limit can be exceeded by those, never by orders placed one after
 * another through one node.
 */
public final class OrderService {
  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final OmsSettings settings;
  /** The venue this node's order entities send requests to ({@link #connect}). */
  private final java.util.concurrent.atomic.AtomicReference<BrokerAdapter> venue;
  private volatile OrderQueries readSide;
  private volatile javax.sql.DataSource readSideDataSource;
  private final Executor readExecutor;
  /** Per account (with max-open-orders on): orders this node created that the read side may not show yet. */
  private final ConcurrentHashMap<String, Set<String>> unprojected = new ConcurrentHashMap<>();

  private final OrderTopics topics;
  /** The run-time kill switches (with the read side), or null. */
  private volatile KillSwitch killSwitch;
  /** Client commands asked and not yet answered ({@link OmsSettings#maxInFlight}). */
  private final InFlightLimit inFlight;

  private OrderService(ActorSystem<?> system, OmsSettings settings, OrderTopics topics, java.util.concurrent.atomic.AtomicReference<BrokerAdapter> venue) {
    this.system = system;
    this.venue = venue;
    this.topics = topics;
    this.sharding = ClusterSharding.get(system);
    this.settings = settings;
    this.inFlight = new InFlightLimit(settings.maxInFlight());
    this.readExecutor = system.dispatchers().lookup(DispatcherSelector.fromConfig("tickloom-oms-read-dispatcher"));
  }

  /**
   * Registers the order entity type on this node (with {@link OmsSettings} read from the system's configuration,
   * which {@link OmsConfig#withJournal} layered) and returns the service. Call once per node.
   */
  public static OrderService start(ActorSystem<?> system) {
    OmsSettings settings = OmsSettings.fromConfig(system.settings().config());
    OrderTopics topics = new OrderTopics(system);
    java.util.concurrent.atomic.AtomicReference<BrokerAdapter> venue = new java.util.concurrent.atomic.AtomicReference<>(BrokerAdapter.NONE);
    OrderEntity.init(system, new OrderEntity.Deps(settings.risk(), OrderEntity.Deps.wallClock(), settings.snapshotEvery(), topics::publish,
        venue::get, settings.handOff()), settings.passivateIdleAfter());
    return new OrderService(system, settings, topics, venue);
  }

  /**
   * As {@link #start(ActorSystem)}, connected to the venue {@code tickloom.oms.broker} names: {@code paper} (default
   * in oms.conf: {@link PaperBroker} on {@code live}, settings {@code tickloom.oms.paper}) or {@code none}.
   */
  public static OrderService start(ActorSystem<?> system, LiveMarket live) {
    return start(system, live, token -> null);
  }

  /**
   * As {@link #start(ActorSystem, LiveMarket)}, with the instruments whose trading hours time the paper venue's DAY
   * expiry (their exchange's hours; around the clock when {@code tickloom.cluster.around-the-clock} is on, as the
   * instrument entities anchor them).
   */
  public static OrderService start(ActorSystem<?> system, LiveMarket live, io.tickloom.cluster.InstrumentDirectory instruments) {
    com.typesafe.config.Config config = system.settings().config();
    boolean aroundTheClock = config.hasPath("tickloom.cluster.around-the-clock") && config.getBoolean("tickloom.cluster.around-the-clock");
    return start(system, live, token -> instruments.find(token).map(i -> {
      io.tickloom.protocol.TradingHours h = i.exchange().hours();
      return aroundTheClock && !h.allDay() ? h.aroundTheClock() : h;
    }).orElse(null));
  }

  private static OrderService start(ActorSystem<?> system, LiveMarket live, java.util.function.LongFunction<io.tickloom.protocol.TradingHours> hours) {
    OrderService service = start(system);
    com.typesafe.config.Config config = system.settings().config();
    String broker = config.hasPath("tickloom.oms.broker") ? config.getString("tickloom.oms.broker").trim() : "none";
    switch (broker) {
      case "paper" -> service.connect(PaperBroker.start(system, live, service.reports(), PaperBroker.Settings.fromConfig(config), hours));
      case "none", "" -> { }
      default -> throw new IllegalArgumentException("tickloom.oms.broker must be paper or none, got '" + broker + "'");
    }
    return service;
  }

  /**
   * Starts the read side on {@code ds} (the node's database, V4 tables): the order projections of every tag slice
   * ({@link OrderProjection#init}, placed over the cluster) and the queries of {@link #history}, {@link #positions} and
   * max-open-orders. Call once per node, after {@link #start}. Returns this service.
   */
  public OrderService startReadSide(javax.sql.DataSource ds) {
    OrderProjection.init(system, ds);
    this.readSide = new OrderQueries(ds);
    this.readSideDataSource = ds;
    this.killSwitch = KillSwitch.start(system, new io.tickloom.persistence.RiskControlStore(ds), readExecutor);
    PendingSweeper.start(system, readSide, readExecutor, settings.sweepInterval(), this::resume);
    return this;
  }

  /** Every journaled event of an account's orders, live (pub-sub per account; the WebSocket {@code orders} channel). */
  public OrderTopics updates() {
    return topics;
  }

  /** Whether {@link #startReadSide} ran: {@link #history} and {@link #positions} answer. */
  public boolean hasReadSide() {
    return readSide != null;
  }

  /**
   * The account's orders from the read side (newest first, keyset-paginated; see {@link OrderQueries#page}), on the
   * read dispatcher. Fails with {@link IllegalStateException} without a read side, {@link IllegalArgumentException}
   * for a cursor it did not produce.
   */
  public CompletionStage<Page<OrderRow>> history(String account, Collection<String> statuses, long from, long to, int limit,
      String cursor) {
    OrderQueries q = requireReadSide();
    return CompletableFuture.supplyAsync(() -> q.page(account, statuses, from, to, limit, cursor), readExecutor);
  }

  /**
   * The account's fills from the read side (of {@code token}, or all with null; newest first, keyset-paginated; see
   * {@link OrderQueries#fills}), on the read dispatcher. Fails as {@link #history}.
   */
  public CompletionStage<Page<io.tickloom.persistence.FillRow>> fills(String account, Long token, long from, long to, int limit,
      String cursor) {
    OrderQueries q = requireReadSide();
    return CompletableFuture.supplyAsync(() -> q.fills(account, token, from, to, limit, cursor), readExecutor);
  }

  /** The account's positions from the read side, by token, on the read dispatcher. */
  public CompletionStage<List<Position>> positions(String account) {
    OrderQueries q = requireReadSide();
    return CompletableFuture.supplyAsync(() -> q.positions(account), readExecutor);
  }

  private OrderQueries requireReadSide() {
    OrderQueries q = readSide;
    if (q == null) throw new IllegalStateException("the OMS read side is not running on this node");
    return q;
  }

  /**
   * The order entities on this node send new orders, modifies and cancels to {@code adapter} from now on (replacing
   * the previous one), once journaled and again until the venue answers ({@link OrderEntity.HandOff}).
   */
  public void connect(BrokerAdapter adapter) {
    venue.set(adapter == null ? BrokerAdapter.NONE : adapter);
  }

  /** The connected venue ({@link BrokerAdapter#NONE} when none). */
  public BrokerAdapter broker() {
    return venue.get();
  }

  /** The venue's reports, as commands to the order entities (for {@link BrokerAdapter}s). */
  public BrokerAdapter.Reports reports() {
    return new BrokerAdapter.Reports() {
      @Override
      public CompletionStage<OrderAck> accepted(OrderId id) {
        return report(id, OrderEntity.Accept::new);
      }

      @Override
      public CompletionStage<OrderAck> rejected(OrderId id, String reason) {
        return report(id, r -> new OrderEntity.Reject(reason, r));
      }

      @Override
      public CompletionStage<OrderAck> cancelRejected(OrderId id, String reason) {
        return report(id, r -> new OrderEntity.CancelReject(reason, r));
      }

      @Override
      public CompletionStage<OrderAck> modifyRejected(OrderId id, String reason) {
        return report(id, r -> new OrderEntity.ModifyReject(reason, r));
      }

      @Override
      public CompletionStage<OrderAck> filled(OrderId id, long qty, long price, String tradeId) {
        return report(id, r -> new OrderEntity.Fill(qty, price, tradeId, r));
      }

      @Override
      public CompletionStage<OrderAck> cancelled(OrderId id) {
        return report(id, OrderEntity.CancelAck::new);
      }

      @Override
      public CompletionStage<OrderAck> modified(OrderId id) {
        return report(id, OrderEntity.ModifyAck::new);
      }

      @Override
      public CompletionStage<OrderAck> expired(OrderId id) {
        return report(id, OrderEntity.Expire::new);
      }
    };
  }

  public OmsSettings settings() {
    return settings;
  }

  /** Places {@code request}; an identical retry answers the existing order ({@link OrderAck#created()} false). */
  public CompletionStage<OrderAck> place(OrderRequest request, RiskCheck.Market market) {
    String halted = halted(request.account());
    if (halted != null) return CompletableFuture.failedFuture(new StatusReply.ErrorMessage("risk: " + halted));
    return inFlight.run(() -> placeAdmitted(request, market));
  }

  /** Why the run-time kill switch refuses new orders and modifies of {@code account} now, or null. */
  private String halted(String account) {
    KillSwitch k = killSwitch;
    return k == null ? null : k.refusal(account);
  }

  /** The read side's dead letters (events its projections could not apply), oldest first; {@code open} only unresolved. */
  public CompletionStage<List<io.tickloom.persistence.DeadLetterStore.DeadLetter>> deadLetters(boolean open, int limit) {
    javax.sql.DataSource ds = readSideDataSource;
    if (ds == null) return CompletableFuture.failedFuture(new IllegalStateException("the OMS read side is not running on this node"));
    return CompletableFuture.supplyAsync(() -> new io.tickloom.persistence.DeadLetterStore(ds).list(open, limit), readExecutor);
  }

  /** Retries the open dead letters (see {@link OrderProjection#retry}); answers how many were resolved. */
  public CompletionStage<Integer> retryDeadLetters() {
    javax.sql.DataSource ds = readSideDataSource;
    if (ds == null) return CompletableFuture.failedFuture(new IllegalStateException("the OMS read side is not running on this node"));
    return CompletableFuture.supplyAsync(() -> {
      try {
        return OrderProjection.retry(system, ds);
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, readExecutor);
  }

  /** The run-time kill switches ({@link #startReadSide} starts them), or null. */
  public KillSwitch killSwitch() {
    return killSwitch;
  }

  private CompletionStage<OrderAck> placeAdmitted(OrderRequest request, RiskCheck.Market market) {
    boolean counted = settings.risk().limitsFor(request.account()).maxOpenOrders() > 0;
    return openOrders(request.account(), counted)
        .thenCompose(open -> ask(request.orderId(), r -> new OrderEntity.Place(request, market, open, r)))
        .thenApply(ack -> {
          if (counted && ack.created() && ack.order().status() == OrderStatus.PENDING_NEW) {
            unprojected.computeIfAbsent(request.account(), a -> ConcurrentHashMap.newKeySet()).add(ack.order().orderId());
          }
          return ack;
        });
  }

  /**
   * The account's open-order count for max-open-orders ({@link RiskCheck#UNKNOWN_OPEN_ORDERS} when the rule is off).
   * Without a read side, or when it cannot be read, the place fails closed: a refusal naming the rule (nothing is
   * journaled).
   */
  private CompletionStage<Integer> openOrders(String account, boolean counted) {
    if (!counted) return CompletableFuture.completedFuture(RiskCheck.UNKNOWN_OPEN_ORDERS);
    OrderQueries q = readSide;
    if (q == null) {
      return CompletableFuture.failedFuture(new StatusReply.ErrorMessage(
          "risk: max-open-orders: the open-order count needs the OMS read side, which is not running on this node"));
    }
    Set<String> mine = unprojected.computeIfAbsent(account, a -> ConcurrentHashMap.newKeySet());
    List<String> recent = List.copyOf(mine);
    return CompletableFuture.supplyAsync(() -> q.openOrders(account, recent), readExecutor).handle((r, e) -> {
      if (e != null) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        throw new java.util.concurrent.CompletionException(new StatusReply.ErrorMessage(
            "risk: max-open-orders: the open-order count is unavailable (" + cause.getMessage() + ")"));
      }
      mine.removeAll(r.projected());
      return r.open() + (recent.size() - r.projected().size());
    });
  }

  /** Modifies order {@code id}; the entity hands the journaled modify to the venue. */
  public CompletionStage<OrderAck> modify(OrderId id, long qty, long price, RiskCheck.Market market) {
    String halted = halted(id.account());
    if (halted != null) return CompletableFuture.failedFuture(new StatusReply.ErrorMessage("risk: " + halted));
    return inFlight.run(() -> ask(id, r -> new OrderEntity.Modify(qty, price, market, r)));
  }

  /** Cancels order {@code id}; the entity hands the journaled cancel to the venue. */
  public CompletionStage<OrderAck> cancel(OrderId id, String reason) {
    return inFlight.run(() -> ask(id, r -> new OrderEntity.Cancel(reason, r)));
  }

  /** Wakes order {@code id} so it resends its pending venue request (the pending-order sweeper). */
  public void resume(OrderId id) {
    sharding.entityRefFor(OrderEntity.TYPE_KEY, id.value()).tell(OrderEntity.Resume.INSTANCE);
  }

  /** A broker report ({@link OrderEntity.Accept}, {@link OrderEntity.Fill}, ...) for order {@code id}. */
  public CompletionStage<OrderAck> report(OrderId id, Function<ActorRef<StatusReply<OrderAck>>, OrderEntity.Command> report) {
    return ask(id, report);
  }

  public CompletionStage<OrderView> get(OrderId id) {
    return unwrap(sharding.entityRefFor(OrderEntity.TYPE_KEY, id.value()).ask(OrderEntity.Get::new, settings.askTimeout()));
  }

  /** The order's journaled events, oldest first, with their sequence numbers (GET /api/v1/orders/{id}/events). */
  public CompletionStage<List<EventEnvelope>> events(OrderId id) {
    JdbcReadJournal journal = PersistenceQuery.get(system.classicSystem()).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    return journal.currentEventsByPersistenceId(PersistenceId.of(OrderEntity.TYPE_KEY.name(), id.value()).id(), 0, Long.MAX_VALUE)
        .runWith(Sink.seq(), system);
  }

  /**
   * One journaled event of one of an account's orders, as {@link #accountEvents} reads it: the order, the event's
   * sequence number in the order's journal, the order's instrument (from its {@code OrderSubmitted}; -1 if that event
   * was not read), the journal offset (the {@code ordering} of the JDBC journal: a cursor) and the event.
   */
  public record AccountEvent(OrderId orderId, long seq, long token, long offset, OrderEvent event) {
    public long tsEvent() {
      return event.tsEvent();
    }
  }

  /** {@link #accountEvents(String, long, long, long, int)} from the start of the journal, unlimited. */
  public CompletionStage<List<AccountEvent>> accountEvents(String account, long fromNanos, long toNanos) {
    return accountEvents(account, fromNanos, toNanos, 0, Integer.MAX_VALUE);
  }

  /**
   * The journaled events of {@code account}'s orders with {@code fromNanos <= tsEvent < toNanos}, in journal order
   * (the JDBC journal's global {@code ordering}; per order that is its sequence order), at most {@code limit}, only
   * those after journal offset {@code afterOffset} (0: from the start; the {@link AccountEvent#offset} of the last one
   * a previous call returned continues it). Read through Pekko Persistence Query: {@code currentEventsByTag} on the
   * account's tag ({@link OrderEntity#tag}), keeping the account's persistence ids.
   *
   * <p>Cost: the JDBC read journal offers offsets by journal sequence only (no offset by time), and the tag slice is
   * shared by about 1/{@value OrderEntity#TAG_SLICES} of the accounts, so every call reads the slice from its start
   * (in the read journal's pages, streamed, not held): proportional to the slice's whole history, not to the range.
   * The slice is read from the start even after a cursor so each order's instrument (in its {@code OrderSubmitted},
   * maybe before the range) is known; memory: one entry per order of the account, plus the events returned.
   * Non-blocking (the read journal's own stream).
   */
  public CompletionStage<List<AccountEvent>> accountEvents(String account, long fromNanos, long toNanos, long afterOffset, int limit) {
    if (!OrderId.validAccount(account)) throw new IllegalArgumentException("not an account: '" + account + "'");
    JdbcReadJournal journal = PersistenceQuery.get(system.classicSystem()).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    String prefix = PersistenceId.of(OrderEntity.TYPE_KEY.name(), account + ".").id();
    java.util.Map<String, Long> tokens = new java.util.HashMap<>();
    return journal.currentEventsByTag(OrderEntity.tag(account), org.apache.pekko.persistence.query.Offset.noOffset())
        .filter(env -> env.persistenceId().startsWith(prefix) && env.event() instanceof OrderEvent)
        .mapConcat(env -> {
          OrderEvent e = (OrderEvent) env.event();
          String orderId = env.persistenceId().substring(prefix.length() - account.length() - 1);
          if (e instanceof OrderEvent.OrderSubmitted s) tokens.put(orderId, s.request().token());
          long offset = env.offset() instanceof org.apache.pekko.persistence.query.Sequence q ? q.value() : 0;
          if (offset <= afterOffset || e.tsEvent() < fromNanos || e.tsEvent() >= toNanos) return List.<AccountEvent>of();
          return List.of(new AccountEvent(OrderId.parse(orderId), env.sequenceNr(), tokens.getOrDefault(orderId, -1L), offset, e));
        })
        .take(limit)
        .runWith(Sink.seq(), system);
  }

  private CompletionStage<OrderAck> ask(OrderId id, Function<ActorRef<StatusReply<OrderAck>>, OrderEntity.Command> command) {
    return unwrap(sharding.entityRefFor(OrderEntity.TYPE_KEY, id.value()).ask(command, settings.askTimeout()));
  }

  /**
   * The reply's value, or its error as the failure, in a plain {@link CompletableFuture}. The ask's own stage is
   * Scala's converted future, whose non-async callbacks run on {@code ForkJoinPool.commonPool()}, and on a
   * machine with 2 cores that pool has parallelism 1, so the JDK starts a new thread for every callback (this
   * cost 4/5 of the OMS's throughput). Here the one hop runs on the actor system's dispatcher, and callers'
   * callbacks run where the future completes.
   */
  private <T> CompletionStage<T> unwrap(CompletionStage<StatusReply<T>> asked) {
    CompletableFuture<T> out = new CompletableFuture<>();
    asked.whenCompleteAsync((reply, error) -> {
      if (error != null) out.completeExceptionally(error);
      else if (reply.isError()) out.completeExceptionally(reply.getError());
      else out.complete(reply.getValue());
    }, system.executionContext());
    return out;
  }
}
