package io.tickloom.cluster;

import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * One Pekko distributed pub-sub {@link Topic} per instrument ({@code market-<token>}), created on a node the
 * first time someone there publishes or subscribes. Topics on different nodes find each other through the
 * receptionist, so a WebSocket on node A receives what the entity on node B publishes.
 */
public final class MarketTopics {
  private final ActorSystem<?> system;
  private final ConcurrentHashMap<Long, ActorRef<Topic.Command<MarketEvent>>> topics = new ConcurrentHashMap<>();

  public MarketTopics(ActorSystem<?> system) {
    this.system = system;
  }

  public ActorRef<Topic.Command<MarketEvent>> topic(long token) {
    return topics.computeIfAbsent(token, t -> system.systemActorOf(Topic.create(MarketEvent.class, "market-" + t), "market-topic-" + t, Props.empty()));
  }
}
