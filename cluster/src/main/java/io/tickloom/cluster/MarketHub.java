package io.tickloom.cluster;

import io.tickloom.persistence.Page;
import io.tickloom.persistence.TickQueries;
import io.tickloom.protocol.Tick;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * The node's one subscriber to each instrument's topic, and the fan-out of its events to the node's local subscribers
 * (WebSocket sessions, the paper venue). Two jobs:
 *
 * <p><b>Subscribing is cheap and local.</b> A local subscribe or unsubscribe changes a map here, nothing else: the
 * hub subscribes to an instrument's topic (cluster-wide registration through the receptionist) when its first local
 * subscriber arrives, and leaves it only after {@code linger} without any, so a client that subscribes and unsubscribes
 * in a loop multiplies no cluster-wide work.
 *
 * <p><b>No silent holes.</b> Every event an entity publishes is numbered in its incarnation's stream
 * ({@link MarketEvent.Sequenced}). The hub checks the numbering per instrument; when it breaks (the entity restarted
 * or moved: a new incarnation; or events are missing: a jump) it tells the local subscribers ({@link MarketEvent.Resync}),
 * goes on delivering the live events at once, waits {@code resync-delay} for the ingest stream to store what the entity
 * accepted, reads the instrument's stored ticks since the last one it delivered (minus {@code lookback}), and delivers
 * those it never delivered (older than live ticks already sent: subscribers merge by exchange time), then
 * {@link MarketEvent.ResyncDone}. Delivered ticks are remembered (exchange time, dedupe key) over the lookback, so nothing
 * is delivered twice.
 */
public final class MarketHub extends AbstractBehavior<MarketHub.Command> {

  public sealed interface Command {}

  public record Subscribe(long token, ActorRef<MarketEvent> subscriber) implements Command {}

  public record Unsubscribe(long token, ActorRef<MarketEvent> subscriber) implements Command {}

  private record Published(MarketEvent event) implements Command {}

  private record Linger(long token) implements Command {}

  private record CatchUp(long token, long generation) implements Command {}

  private record CaughtUp(long token, long generation, List<Tick> ticks, boolean more, Throwable failure) implements Command {}

  private record SubscriberGone(ActorRef<MarketEvent> subscriber) implements Command {}

  /**
   * @param linger how long the hub stays subscribed to a topic without local subscribers
   * @param resyncDelay how long after a hole the catch-up reads the store (the ingest stream stores accepted ticks a
   *     few tens of ms after the entity accepted them; longer while the database is slow)
   * @param lookback how far before the last delivered tick the catch-up reads (late ticks)
   * @param catchUpLimit ticks one catch-up reads at most; beyond it the resync is incomplete
   */
  public record Settings(Duration linger, Duration resyncDelay, Duration lookback, int catchUpLimit) {
    public static final Settings DEFAULT = new Settings(Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(5), 10_000);
  }

  /** Ticks remembered per instrument for the catch-up's dedupe (the lookback is shortened when more arrive). */
  private static final int RING = 4096;

  public static Behavior<Command> create(MarketTopics topics, java.util.function.LongConsumer listen, TickQueries store, Executor blocking,
      Settings settings) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new MarketHub(ctx, timers, topics, listen, store, blocking, settings)));
  }

  /** One instrument as this node sees it. */
  private static final class Instrument {
    final long token;
    final Set<ActorRef<MarketEvent>> subscribers = new HashSet<>();
    boolean topicSubscribed;
    /** Wall clock (ns) when the hub subscribed to the topic. */
    long since;
    boolean baseline;
    long incarnation;
    long seq;
    final Set<Long> retired = new HashSet<>();
    // delivered ticks: exchange time and dedupe key, a ring
    final long[] ts = new long[RING];
    final long[] keys = new long[RING];
    int ringStart;
    int ringSize;
    long newestTs = Long.MIN_VALUE;
    long evictedMaxTs = Long.MIN_VALUE;
    // catch-up
    boolean catchingUp;
    boolean again;
    long generation;
    long from;

    Instrument(long token) {
      this.token = token;
    }

    void remember(Tick t) {
      int i;
      if (ringSize == RING) {
        i = ringStart;
        evictedMaxTs = Math.max(evictedMaxTs, ts[i]);
        ringStart = (ringStart + 1) % RING;
      } else {
        i = (ringStart + ringSize) % RING;
        ringSize++;
      }
      ts[i] = t.exchangeTs();
      keys[i] = t.dedupeKey();
      newestTs = Math.max(newestTs, t.exchangeTs());
    }

    /** The ticks delivered and still remembered, as (exchange time, dedupe key). */
    Set<Key> delivered() {
      Set<Key> out = new HashSet<>(ringSize * 2);
      for (int k = 0; k < ringSize; k++) {
        int i = (ringStart + k) % RING;
        out.add(new Key(ts[i], keys[i]));
      }
      return out;
    }
  }

  /** A tick's identity in the store: exchange time and dedupe key. */
  private record Key(long ts, long key) {
    static Key of(Tick t) {
      return new Key(t.exchangeTs(), t.dedupeKey());
    }
  }

  private final TimerScheduler<Command> timers;
  private final MarketTopics topics;
  private final java.util.function.LongConsumer listen;
  private final TickQueries store;
  private final Executor blocking;
  private final Settings settings;
  private final ActorRef<MarketEvent> adapter;
  private final Map<Long, Instrument> instruments = new HashMap<>();
  private final Map<ActorRef<MarketEvent>, Set<Long>> bySubscriber = new HashMap<>();

  private MarketHub(ActorContext<Command> ctx, TimerScheduler<Command> timers, MarketTopics topics, java.util.function.LongConsumer listen,
      TickQueries store, Executor blocking, Settings settings) {
    super(ctx);
    this.timers = timers;
    this.topics = topics;
    this.listen = listen;
    this.store = store;
    this.blocking = blocking;
    this.settings = settings;
    this.adapter = ctx.messageAdapter(MarketEvent.class, Published::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(Unsubscribe.class, u -> {
          unsubscribe(u.token(), u.subscriber());
          Set<Long> tokens = bySubscriber.get(u.subscriber());
          if (tokens != null) {
            tokens.remove(u.token());
            if (tokens.isEmpty()) {
              bySubscriber.remove(u.subscriber());
              getContext().unwatch(u.subscriber());
            }
          }
          return this;
        })
        .onMessage(SubscriberGone.class, g -> {
          Set<Long> tokens = bySubscriber.remove(g.subscriber());
          if (tokens != null) for (long token : tokens) unsubscribe(token, g.subscriber());
          return this;
        })
        .onMessage(Published.class, p -> onPublished(p.event()))
        .onMessage(Linger.class, this::onLinger)
        .onMessage(CatchUp.class, this::onCatchUp)
        .onMessage(CaughtUp.class, this::onCaughtUp)
        .build();
  }

  private Behavior<Command> onSubscribe(Subscribe s) {
    Instrument in = instruments.computeIfAbsent(s.token(), Instrument::new);
    if (!in.subscribers.add(s.subscriber())) return this;
    Set<Long> tokens = bySubscriber.get(s.subscriber());
    if (tokens == null) {
      tokens = new HashSet<>();
      bySubscriber.put(s.subscriber(), tokens);
      getContext().watchWith(s.subscriber(), new SubscriberGone(s.subscriber()));
    }
    tokens.add(s.token());
    timers.cancel(new Linger(s.token()));
    if (!in.topicSubscribed) {
      in.topicSubscribed = true;
      in.since = System.currentTimeMillis() * 1_000_000L;
      topics.topic(s.token()).tell(Topic.subscribe(adapter));
      // The entity learns of subscribers through the topic's statistics a moment later: tell it now.
      listen.accept(s.token());
    }
    return this;
  }

  private void unsubscribe(long token, ActorRef<MarketEvent> subscriber) {
    Instrument in = instruments.get(token);
    if (in == null || !in.subscribers.remove(subscriber)) return;
    if (in.subscribers.isEmpty()) timers.startSingleTimer(new Linger(token), new Linger(token), settings.linger());
  }

  private Behavior<Command> onLinger(Linger l) {
    Instrument in = instruments.get(l.token());
    if (in == null || !in.subscribers.isEmpty()) return this;
    if (in.topicSubscribed) topics.topic(l.token()).tell(Topic.unsubscribe(adapter));
    instruments.remove(l.token());
    return this;
  }

  // ---- the stream of one instrument ----

  private Behavior<Command> onPublished(MarketEvent e) {
    if (!(e instanceof MarketEvent.Sequenced s)) {
      Instrument in = instruments.get(e.token());
      if (in != null) deliver(in, e); // an unnumbered publisher (none in the product): passed on as it is
      return this;
    }
    Instrument in = instruments.get(s.token());
    if (in == null || !in.topicSubscribed) return this;
    if (!in.baseline) {
      in.baseline = true;
      in.incarnation = s.incarnation();
      in.seq = s.seq();
      deliver(in, s.event());
      return this;
    }
    if (s.incarnation() == in.incarnation) {
      long expected = s.conflatable() ? in.seq : in.seq + 1;
      if (s.seq() < expected) {
        if (s.conflatable()) deliver(in, s.event());
        return this; // a must-deliver event already accounted for: cannot happen on one ordered path
      }
      if (s.seq() > expected) {
        long missing = s.seq() - expected;
        in.seq = s.seq();
        hole(in, missing + " event(s) of instrument " + in.token + " did not arrive");
      } else {
        in.seq = s.seq();
      }
      deliver(in, s.event());
      return this;
    }
    if (in.retired.contains(s.incarnation())) return this; // a late event of a previous incarnation: the catch-up covers it
    in.retired.add(in.incarnation);
    if (in.retired.size() > 8) in.retired.clear();
    in.incarnation = s.incarnation();
    in.seq = s.seq();
    hole(in, "the entity of instrument " + in.token + " restarted or moved");
    deliver(in, s.event());
    return this;
  }

  /**
   * Delivers {@code e} to the local subscribers at once, also during a catch-up (live ticks are never held back: the
   * catch-up sends the older ones it finds missing afterwards, and skips what was delivered meanwhile).
   */
  private void deliver(Instrument in, MarketEvent e) {
    if (e instanceof MarketEvent.Ticks t) {
      for (Tick tick : t.ticks()) in.remember(tick);
    }
    for (ActorRef<MarketEvent> s : in.subscribers) s.tell(e);
  }

  /** The stream of {@code in} broke: tell the subscribers and catch up from the store (or re-baseline if none listens). */
  private void hole(Instrument in, String reason) {
    if (in.subscribers.isEmpty()) return; // nobody to catch up: a new subscriber's backfill reads the store anyway
    if (in.catchingUp) {
      in.again = true; // what this hole lost may be stored after the running catch-up's read: read once more after it
      return;
    }
    in.catchingUp = true;
    in.generation++;
    long floor = in.newestTs == Long.MIN_VALUE ? in.since - settings.lookback().toNanos() : in.newestTs - settings.lookback().toNanos();
    in.from = in.evictedMaxTs == Long.MIN_VALUE ? floor : Math.max(floor, in.evictedMaxTs + 1);
    getContext().getLog().info("live stream of instrument {}: {}; catching up from the store", in.token, reason);
    MarketEvent.Resync notice = new MarketEvent.Resync(in.token, in.from, reason);
    for (ActorRef<MarketEvent> s : in.subscribers) s.tell(notice);
    timers.startSingleTimer(new CatchUp(in.token, in.generation), new CatchUp(in.token, in.generation), settings.resyncDelay());
  }

  private Behavior<Command> onCatchUp(CatchUp c) {
    Instrument in = instruments.get(c.token());
    if (in == null || !in.catchingUp || in.generation != c.generation()) return this;
    long token = in.token;
    long from = in.from;
    long generation = in.generation;
    int limit = settings.catchUpLimit();
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> store.page(token, from, Long.MAX_VALUE, limit, null), blocking),
        (Page<Tick> page, Throwable failure) -> failure != null
            ? new CaughtUp(token, generation, List.of(), false, failure)
            : new CaughtUp(token, generation, page.items(), page.nextCursor() != null, null));
    return this;
  }

  private Behavior<Command> onCaughtUp(CaughtUp c) {
    Instrument in = instruments.get(c.token());
    if (in == null || !in.catchingUp || in.generation != c.generation()) return this;
    if (c.failure() != null) {
      getContext().getLog().warn("catch-up of instrument {} could not read the store: {}", in.token, c.failure().toString());
    }
    Set<Key> known = in.delivered();
    List<Tick> missed = new ArrayList<>();
    for (Tick t : c.ticks()) {
      if (!known.contains(Key.of(t))) missed.add(t);
    }
    in.catchingUp = false;
    boolean complete = c.failure() == null && !c.more();
    if (!missed.isEmpty()) deliver(in, new MarketEvent.Ticks(in.token, missed));
    MarketEvent.ResyncDone done = new MarketEvent.ResyncDone(in.token, missed.size(), complete);
    for (ActorRef<MarketEvent> s : in.subscribers) s.tell(done);
    if (in.again) {
      in.again = false;
      hole(in, "a further hole during the catch-up");
    }
    return this;
  }
}
