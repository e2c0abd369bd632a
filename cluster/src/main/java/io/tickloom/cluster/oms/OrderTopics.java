package io.tickloom.cluster.oms;

import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * One Pekko distributed pub-sub {@link Topic} per account ({@code orders-<account>}) carrying {@link OrderUpdate}s,
 * created on a node the first time someone there publishes or subscribes; topics on different nodes find each other
 * through the receptionist, so a WebSocket on node A sees the orders an entity on node B journals. Thread-safe.
 */
public final class OrderTopics {
  private final ActorSystem<?> system;
  private final ConcurrentHashMap<String, ActorRef<Topic.Command<OrderUpdate>>> topics = new ConcurrentHashMap<>();

  public OrderTopics(ActorSystem<?> system) {
    this.system = system;
  }

  /** The topic of {@code account} (a valid account name: it is part of the actor name). */
  public ActorRef<Topic.Command<OrderUpdate>> topic(String account) {
    if (!OrderId.validAccount(account)) throw new IllegalArgumentException("not an account: '" + account + "'");
    return topics.computeIfAbsent(account,
        a -> system.systemActorOf(Topic.create(OrderUpdate.class, "orders-" + a), "orders-topic-" + a, Props.empty()));
  }

  /** Publishes {@code update} on its account's topic. */
  public void publish(OrderUpdate update) {
    topic(update.account()).tell(Topic.publish(update));
  }
}
