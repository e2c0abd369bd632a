package io.tickloom.cluster.oms;

import io.tickloom.cluster.LiveMarket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
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
 * <p>The venue: once the entity has journaled and answered a new order (created, not rejected by risk), a modify or a
 * cancel, the request goes to the connected {@link BrokerAdapter} ({@link BrokerAdapter#NONE} until
 * {@link #connect}); the venue's reports come back through {@link #reports()}.
 */
public final class OrderService {
  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final OmsSettings settings;
  private volatile BrokerAdapter broker = BrokerAdapter.NONE;

  private OrderService(ActorSystem<?> system, OmsSettings settings) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.settings = settings;
  }

  /**
   * Registers the order entity type on this node (with {@link OmsSettings} read from the system's configuration,
   * which {@link OmsConfig#withJournal} layered) and returns the service. Call once per node.
   */
  public static OrderService start(ActorSystem<?> system) {
    OmsSettings settings = OmsSettings.fromConfig(system.settings().config());
    OrderEntity.init(system, new OrderEntity.Deps(settings.risk(), OrderEntity.Deps.wallClock(), settings.snapshotEvery()),
        settings.passivateIdleAfter());
    return new OrderService(system, settings);
  }

  /**
   * As {@link #start(ActorSystem)}, connected to the venue {@code tickloom.oms.broker} names: {@code paper} (default
   * in oms.conf: {@link PaperBroker} on {@code live}, settings {@code tickloom.oms.paper}) or {@code none}.
   */
  public static OrderService start(ActorSystem<?> system, LiveMarket live) {
    OrderService service = start(system);
    com.typesafe.config.Config config = system.settings().config();
    String broker = config.hasPath("tickloom.oms.broker") ? config.getString("tickloom.oms.broker").trim() : "none";
    switch (broker) {
      case "paper" -> service.connect(PaperBroker.start(system, live, service.reports(), PaperBroker.Settings.fromConfig(config)));
      case "none", "" -> { }
      default -> throw new IllegalArgumentException("tickloom.oms.broker must be paper or none, got '" + broker + "'");
    }
    return service;
  }

  /** Sends this node's new orders, modifies and cancels to {@code adapter} from now on (replacing the previous one). */
  public void connect(BrokerAdapter adapter) {
    this.broker = adapter == null ? BrokerAdapter.NONE : adapter;
  }

  /** The connected venue ({@link BrokerAdapter#NONE} when none). */
  public BrokerAdapter broker() {
    return broker;
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
    return ask(request.orderId(), r -> new OrderEntity.Place(request, market, r)).thenApply(ack -> {
      if (ack.created() && ack.order().status() == OrderStatus.PENDING_NEW) handOver("place", ack, broker::place);
      return ack;
    });
  }

  public CompletionStage<OrderAck> modify(OrderId id, long qty, long price, RiskCheck.Market market) {
    return ask(id, r -> new OrderEntity.Modify(qty, price, market, r)).thenApply(ack -> {
      if (ack.outcome() == OrderAck.Outcome.APPLIED && ack.order().status() == OrderStatus.PENDING_MODIFY) handOver("modify", ack, broker::modify);
      return ack;
    });
  }

  public CompletionStage<OrderAck> cancel(OrderId id, String reason) {
    return ask(id, r -> new OrderEntity.Cancel(reason, r)).thenApply(ack -> {
      if (ack.outcome() == OrderAck.Outcome.APPLIED && ack.order().status() == OrderStatus.PENDING_CANCEL) handOver("cancel", ack, broker::cancel);
      return ack;
    });
  }

  /** Hands a journaled request to the venue; an adapter that throws (it must not) is logged, the caller still gets the ack. */
  private void handOver(String what, OrderAck ack, java.util.function.Consumer<OrderView> send) {
    try {
      send.accept(ack.order());
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(OrderService.class).error("broker {} failed to take the {} of order {}", broker.name(), what,
          ack.order().orderId(), e);
    }
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
