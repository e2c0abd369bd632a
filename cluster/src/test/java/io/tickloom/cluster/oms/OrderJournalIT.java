package io.tickloom.cluster.oms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.tickloom.cluster.TestConfig;
import io.tickloom.cluster.oms.OrderEvent.OrderAccepted;
import io.tickloom.cluster.oms.OrderEvent.OrderFilled;
import io.tickloom.cluster.oms.OrderEvent.OrderPartiallyFilled;
import io.tickloom.cluster.oms.OrderEvent.OrderSubmitted;
import io.tickloom.persistence.Database;
import io.tickloom.persistence.TestDatabase;
import io.tickloom.protocol.Side;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Orders on the real journal (Pekko Persistence JDBC on PostgreSQL, schema from Flyway V3): an order's events
 * survive the node (a new ActorSystem on the same database rebuilds the order from the journal) and read back,
 * in order, through Pekko Persistence Query.
 */
class OrderJournalIT {
  static final RiskCheck.Market MARKET = new RiskCheck.Market(250_000, 2, 0);
  Database db;
  Config config;
  ActorTestKit kit;

  @BeforeEach
  void start() {
    db = TestDatabase.fresh();
    config = OmsConfig.withJournal(TestConfig.node("tickloom.oms.ask-timeout = 15s"), db);
  }

  @AfterEach
  void stop() {
    if (kit != null) kit.shutdownTestKit();
    db.close();
  }

  private OrderService node() {
    kit = ActorTestKit.create("oms", config);
    Cluster.get(kit.system()).manager().tell(Join.create(Cluster.get(kit.system()).selfMember().address()));
    return OrderService.start(kit.system());
  }

  private long journalConnections() throws Exception {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tickloom-journal' "
            + "AND datname = current_database()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private List<String> applicationNames() throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT application_name FROM pg_stat_activity WHERE datname = current_database()")) {
      while (rs.next()) names.add(rs.getString(1));
    }
    return names;
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void orderRebuiltFromTheJournalOnANewNodeAndItsEventsReadBackInOrder() throws Exception {
    OrderService oms = node();
    OrderRequest request = OrderRequest.limit("it-1", "ACC", 408065, Side.BUY, 100, 250_000, TimeInForce.DAY);
    OrderId id = request.orderId();

    OrderAck placed = await(oms.place(request, MARKET));
    assertTrue(placed.created());
    assertEquals(OrderStatus.PENDING_NEW, placed.order().status());
    assertEquals(OrderStatus.ACCEPTED, await(oms.report(id, OrderEntity.Accept::new)).order().status());
    OrderAck partial = await(oms.report(id, r -> new OrderEntity.Fill(40, 250_000, "T-1", r)));
    assertEquals(OrderStatus.PARTIALLY_FILLED, partial.order().status());
    OrderAck filled = await(oms.report(id, r -> new OrderEntity.Fill(60, 250_100, "T-2", r)));
    assertEquals(OrderStatus.FILLED, filled.order().status());
    assertEquals(250_060, filled.order().avgPrice());
    // A refused command fails the stage with the reason and journals nothing.
    ExecutionException refused = assertThrows(ExecutionException.class, () -> await(oms.cancel(id, "too late")));
    assertInstanceOf(StatusReply.ErrorMessage.class, refused.getCause());
    assertTrue(refused.getCause().getMessage().contains("FILLED: nothing left to cancel"), refused.getCause().getMessage());

    kit.shutdownTestKit();
    kit = null;
    assertEquals(0, journalConnections(), "the stopped node's journal pool is closed");

    // A new node on the same database: the entity recovers from the journal.
    OrderService again = node();
    OrderView recovered = await(again.get(id));
    assertTrue(journalConnections() > 0, "the journal runs on its own pool, named in pg_stat_activity: " + applicationNames());
    assertEquals(filled.order(), recovered);
    // A retried place still answers the existing order, never a second one.
    OrderAck retry = await(again.place(request, MARKET));
    assertFalse(retry.created());
    assertEquals(recovered, retry.order());
    // The repeated trade T-2 is still known after recovery: ignored, not an overfill.
    assertEquals(OrderAck.Outcome.UNCHANGED, await(again.report(id, r -> new OrderEntity.Fill(60, 250_100, "T-2", r))).outcome());

    List<EventEnvelope> events = await(again.events(id));
    assertEquals(List.of(OrderSubmitted.class, OrderAccepted.class, OrderPartiallyFilled.class, OrderFilled.class),
        events.stream().map(e -> e.event().getClass()).toList());
    assertEquals(List.of(1L, 2L, 3L, 4L), events.stream().map(EventEnvelope::sequenceNr).toList());
    assertEquals("order|" + id.value(), events.get(0).persistenceId());
    OrderSubmitted submitted = (OrderSubmitted) events.get(0).event();
    assertEquals(request, submitted.request());
    assertEquals(new OrderPartiallyFilled("T-1", 40, 250_000, partial.order().updatedAt()), events.get(2).event());
    long previous = 0;
    for (EventEnvelope e : events) {
      long ts = ((OrderEvent) e.event()).tsEvent();
      assertTrue(ts >= previous, "tsEvent never goes back");
      previous = ts;
    }

    // In the database: four journal rows for the order, each tagged with the account's slice.
    List<String> tags = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT t.tag FROM event_journal j JOIN event_tag t ON t.event_id = j.ordering "
            + "WHERE j.persistence_id = 'order|" + id.value() + "' ORDER BY j.sequence_number")) {
      while (rs.next()) tags.add(rs.getString(1));
    }
    assertEquals(List.of(OrderEntity.tag("ACC"), OrderEntity.tag("ACC"), OrderEntity.tag("ACC"), OrderEntity.tag("ACC")), tags);
  }
}
