package io.tickloom.http;

import io.tickloom.cluster.InstrumentDirectory;
import io.tickloom.cluster.oms.OrderEvent;
import io.tickloom.cluster.oms.OrderService;
import io.tickloom.cluster.oms.OrderUpdate;
import io.tickloom.cluster.oms.OrderView;
import io.tickloom.protocol.Instrument;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket channel {@code orders} (SPEC §6): every journaled event of the connection's account's orders, as
 * {@code {"type":"order_event","account","orderId","seq","event":"OrderFilled", <the event's fields>, "tsEvent",
 * "order":{order view}}} (the event's fields as in {@code GET /api/v1/orders/{id}/events}; the view as
 * {@code GET /api/v1/orders/{id}}).
 *
 * <p>Source: the account's pub-sub topic ({@link io.tickloom.cluster.oms.OrderTopics}), to which each
 * {@link io.tickloom.cluster.oms.OrderEntity} publishes after the journal write, so a frame never shows an event
 * that could still be lost; cluster-wide (the entity may live on another node). Best effort (a frame lost in pub-sub
 * is not resent; {@code seq} per order shows gaps). Needs an API key with role {@code trader}; a connection sees its
 * key's account only.
 *
 * <p>Backfill: on subscribe, when the node runs the read side, first
 * {@code {"type":"backfill","channel":"orders","items":[...]}} with the account's {@value #BACKFILL} newest orders
 * (items as {@code GET /api/v1/orders}), then the live frames. The topic is subscribed before the history is read, and
 * what arrives meanwhile waits in the buffer; an order may thus show in both, so a client keeps, per order, the view
 * with the latest {@code updatedAt} (the dashboard's blotter does). A failed history read sends no backfill (the live
 * frames still come).
 */
public final class OrderStreams implements StreamChannels {
  private static final Logger log = LoggerFactory.getLogger(OrderStreams.class);
  /** Updates buffered per subscriber before the oldest are dropped (the session's own queue is behind this). */
  static final int BUFFER = 256;
  /** Orders in the backfill. */
  static final int BACKFILL = 50;

  private final OrderService orders;
  private final InstrumentDirectory instruments;

  public OrderStreams(OrderService orders, InstrumentDirectory instruments) {
    this.orders = orders;
    this.instruments = instruments;
  }

  @Override
  public String prefix() {
    return "orders";
  }

  @Override
  public CompletionStage<Source<String, NotUsed>> open(String channel, ApiKeys.Key key) {
    if (!channel.equals("orders")) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("unknown channel " + channel + ": the orders channel takes no suffix"));
    }
    if (key == null) {
      return CompletableFuture.failedFuture(new SecurityException("the orders channel needs an API key (X-API-Key header or /ws?key=)"));
    }
    if (!key.has(OrderRoutes.ROLE)) {
      return CompletableFuture.failedFuture(new SecurityException("the API key lacks the role '" + OrderRoutes.ROLE + "'"));
    }
    ActorRef<Topic.Command<OrderUpdate>> topic = orders.updates().topic(key.account());
    Source<String, NotUsed> frames = ActorSource.<OrderUpdate>actorRef(m -> false, m -> java.util.Optional.empty(), BUFFER,
            OverflowStrategy.dropHead())
        .mapMaterializedValue(ref -> {
          topic.tell(Topic.subscribe(ref));
          return ref;
        })
        .watchTermination((ref, done) -> {
          done.whenComplete((d, e) -> topic.tell(Topic.unsubscribe(ref)));
          return NotUsed.getInstance();
        })
        .filter(u -> u.account().equals(key.account()))
        .map(this::frame);
    if (!orders.hasReadSide()) return CompletableFuture.completedFuture(frames);
    // concat materializes both at once: the topic is subscribed while the history is read; updates wait in BUFFER.
    Source<String, NotUsed> backfill = Source.completionStage(orders.history(key.account(), java.util.List.of(), Long.MIN_VALUE,
            Long.MAX_VALUE, BACKFILL, null)
        .thenApply(page -> backfill(page.items()))
        .exceptionally(e -> {
          // The live updates still follow; the client is told, as for the market channels, and can page GET /api/v1/orders.
          log.warn("the orders backfill of account {} could not be read: {}", key.account(), e.toString());
          return WsFrames.error(null, "backfill_failed", "could not read the recent orders of account " + key.account()
              + "; live order events follow (GET /api/v1/orders reads them)");
        }));
    return CompletableFuture.completedFuture(backfill.concat(frames));
  }

  /** The backfill frame: the read side's rows, newest first, as items of {@code GET /api/v1/orders}. */
  String backfill(java.util.List<io.tickloom.persistence.OrderRow> rows) {
    java.util.List<OrderWire.OrderItem> items = new java.util.ArrayList<>(rows.size());
    for (var r : rows) items.add(OrderWire.OrderItem.from(r, instruments.find(r.token()).orElse(null)));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "backfill");
    m.put("channel", "orders");
    m.put("items", items);
    return Json.write(m);
  }

  /** The frame of one update. Allocates. */
  String frame(OrderUpdate u) {
    OrderView o = u.order();
    Instrument in = instruments.find(o.token()).orElse(null);
    int ps = in == null ? 0 : in.priceScale();
    int qs = in == null ? 0 : in.qtyScale();
    Map<String, Object> event = Wire.orderEvent(u.seq(), (OrderEvent) u.event(), ps, qs);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "order_event");
    m.put("account", u.account());
    m.put("orderId", u.orderId());
    m.put("seq", u.seq());
    m.put("event", event.get("type"));
    for (var e : event.entrySet()) {
      if (!e.getKey().equals("seq") && !e.getKey().equals("type")) m.put(e.getKey(), e.getValue());
    }
    m.put("order", Wire.OrderDto.from(o, ps, qs));
    return Json.write(m);
  }
}
