package io.tickloom.cluster;

import io.tickloom.protocol.Bar;
import io.tickloom.protocol.CborSerializable;
import io.tickloom.protocol.EmptyBarPolicy;
import io.tickloom.protocol.Gap;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.TradingHours;
import io.tickloom.protocol.bars.BarAggregator;
import io.tickloom.protocol.sequencing.Deduper;
import io.tickloom.protocol.sequencing.Sequencer;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The one owner of an instrument's market truth (SPEC §4), sharded by token across the cluster. It runs the
 * kernels in this order for every tick of an {@link Ingest} batch: {@link Deduper} (same trade from several
 * feeds or a redelivery is processed once), {@link Sequencer} (gaps, LIVE/STALE), {@link BarAggregator} (all
 * timeframes, event time, revisions). It answers the batch with the accepted ticks (the ingest stream stores
 * them), hands final bars and gap records to the node's {@link StoreWriter}, and publishes everything to the
 * instrument's topic for live subscribers. A heartbeat timer advances the event clock of an idle instrument
 * (so its bars finalize), expires gaps, and publishes forming bars at most once per interval.
 */
public final class InstrumentEntity extends AbstractBehavior<InstrumentEntity.Command> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "instrument");

  public sealed interface Command extends CborSerializable {}

  /** Ticks of this instrument, in arrival order. Answered with an {@link IngestAck}. */
  public record Ingest(List<Tick> ticks, ActorRef<IngestAck> replyTo) implements Command {}

  /** Accepted ticks (with their status), in processing order; duplicates and rejects were dropped and counted. */
  public record IngestAck(long token, List<Tick> accepted, int duplicates, int rejected) implements CborSerializable {}

  public record GetForming(Timeframe tf, ActorRef<FormingBar> replyTo) implements Command {}

  /** {@code bar} is null when nothing forms for that timeframe. */
  public record FormingBar(Bar bar) implements CborSerializable {}

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  public record Status(long token, TickStatus status, long accepted, long duplicates, long lateTicks, long tooLateTicks,
      long nextExpectedSeq, boolean openGaps) implements CborSerializable {}

  /**
   * An event-time watermark from a feed: nothing older than {@code eventTs} is still to come, so bars ending
   * before {@code eventTs - grace} are final. Used at the end of a file import and by feeds with their own
   * heartbeats; a live instrument does not need it (its heartbeat timer advances the clock).
   */
  public record AdvanceClock(long eventTs, ActorRef<StoreWriter.Done> replyTo) implements Command {}

  private enum Heartbeat implements Command { INSTANCE }

  private record Listeners(Topic.TopicStats stats) implements Command {}

  /** What every entity on a node shares: looked up once per node, handed to each entity. */
  public record Deps(InstrumentRegistry instruments, ClusterSettings settings, ActorRef<StoreWriter.Command> writer,
      MarketTopics topics, IngestMetrics metrics) {}

  public static void init(ActorSystem<?> system, Deps deps) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, ctx -> create(Long.parseLong(ctx.getEntityId()), deps)));
  }

  public static String entityId(long token) {
    return Long.toString(token);
  }

  public static Behavior<Command> create(long token, Deps deps) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Heartbeat.INSTANCE, deps.settings().heartbeatInterval());
      return new InstrumentEntity(ctx, token, deps);
    }));
  }

  private final long token;
  private final Deps deps;
  private final Deduper deduper;
  private final Sequencer sequencer;
  private final BarAggregator bars;
  private final ActorRef<Topic.Command<MarketEvent>> topic;
  private final Timeframe[] timeframes;
  private final List<Bar> finals = new ArrayList<>();
  private final List<Gap> gaps = new ArrayList<>();
  private long accepted;
  private long lastExchangeTs = Long.MIN_VALUE;
  private long lastArrivalWall = Long.MIN_VALUE;
  private long ticksSincePublish;
  /** Whether anyone, on any node, subscribes to this instrument's topic; refreshed every heartbeat. */
  private boolean listened;
  private final ActorRef<Topic.TopicStats> statsAdapter;

  private InstrumentEntity(ActorContext<Command> ctx, long token, Deps deps) {
    super(ctx);
    this.token = token;
    this.deps = deps;
    ClusterSettings s = deps.settings();
    Instrument instrument = deps.instruments().get(token);
    TradingHours hours;
    EmptyBarPolicy policy;
    if (instrument == null) {
      ctx.getLog().warn("instrument {} is not in this node's directory; its bars use UTC day hours", token);
      hours = TradingHours.UTC_24H;
      policy = EmptyBarPolicy.SKIP;
    } else {
      hours = instrument.exchange().hours();
      policy = instrument.exchange().emptyBars();
    }
    if (s.aroundTheClock() && !hours.allDay()) hours = hours.aroundTheClock();
    this.deduper = new Deduper(s.dedupeWindow());
    this.sequencer = new Sequencer(token, s.gapTimeout().toNanos(), s.maxOpenGaps(), gaps::add);
    this.timeframes = s.timeframeArray();
    this.bars = new BarAggregator(token, hours, policy, timeframes, s.barGrace().toNanos(), s.revisionHistory(), finals::add);
    this.topic = deps.topics().topic(token);
    this.statsAdapter = ctx.messageAdapter(Topic.TopicStats.class, Listeners::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Ingest.class, this::onIngest)
        .onMessage(Heartbeat.class, h -> onHeartbeat())
        .onMessage(Listeners.class, l -> {
          listened = l.stats().localSubscriberCount() > 0 || l.stats().topicInstanceCount() > 0;
          return this;
        })
        .onMessage(GetForming.class, this::onGetForming)
        .onMessage(AdvanceClock.class, this::onAdvanceClock)
        .onMessage(GetStatus.class, this::onGetStatus)
        .build();
  }

  private Behavior<Command> onIngest(Ingest msg) {
    List<Tick> in = msg.ticks();
    List<Tick> out = new ArrayList<>(in.size());
    int dup = 0;
    int rejected = 0;
    for (int i = 0, n = in.size(); i < n; i++) {
      Tick t = in.get(i);
      if (t.token() != token) {
        rejected++;
        continue;
      }
      if (!deduper.firstSight(t.dedupeKey())) {
        dup++;
        continue;
      }
      sequencer.accept(t.seq(), t.receiveTs());
      Tick a = t.withStatus(sequencer.status());
      bars.onTick(a.exchangeTs(), a.price(), a.qty(), a.seq());
      if (a.exchangeTs() > lastExchangeTs) lastExchangeTs = a.exchangeTs();
      out.add(a);
    }
    if (!out.isEmpty()) lastArrivalWall = System.currentTimeMillis() * 1_000_000L;
    accepted += out.size();
    ticksSincePublish += out.size();
    deps.metrics().onBatch(out.size(), dup, rejected);
    List<Tick> accepted = java.util.Collections.unmodifiableList(out);
    msg.replyTo().tell(new IngestAck(token, accepted, dup, rejected));
    if (listened && !out.isEmpty()) topic.tell(Topic.publish(new MarketEvent.Ticks(token, accepted)));
    drainOutputs();
    return this;
  }

  private Behavior<Command> onHeartbeat() {
    long wall = System.currentTimeMillis() * 1_000_000L;
    sequencer.expire(wall);
    if (lastArrivalWall != Long.MIN_VALUE) {
      // While the instrument is silent, its event time advances at wall-clock pace from its newest tick, measured
      // from when that batch reached this entity (not the feed's receive stamp): a live bar finalizes `grace`
      // after its end, while ticks that keep arriving, however far behind a backlog has put them, are never
      // overtaken by the heartbeat.
      long eventNow = lastExchangeTs + (wall - lastArrivalWall);
      if (eventNow > bars.clock()) bars.advanceClock(eventNow);
    }
    drainOutputs();
    // Publishing to a topic nobody listens to costs a message and a dead letter per batch: ask who listens.
    topic.tell(Topic.getTopicStats(statsAdapter));
    if (listened && ticksSincePublish > 0) {
      ticksSincePublish = 0;
      for (Timeframe tf : timeframes) {
        Bar f = bars.forming(tf);
        if (f != null) topic.tell(Topic.publish(new MarketEvent.BarUpdate(token, f)));
      }
    }
    return this;
  }

  private void drainOutputs() {
    if (finals.isEmpty() && gaps.isEmpty()) return;
    List<Bar> b = List.copyOf(finals);
    List<Gap> g = List.copyOf(gaps);
    finals.clear();
    gaps.clear();
    if (!b.isEmpty()) deps.metrics().onFinalBars(b.size());
    deps.writer().tell(new StoreWriter.Write(b, g));
    if (!listened) return;
    for (Bar bar : b) topic.tell(Topic.publish(new MarketEvent.BarUpdate(token, bar)));
    for (Gap gap : g) topic.tell(Topic.publish(new MarketEvent.GapUpdate(token, gap)));
  }

  private Behavior<Command> onAdvanceClock(AdvanceClock a) {
    if (a.eventTs() > bars.clock()) bars.advanceClock(a.eventTs());
    drainOutputs();
    a.replyTo().tell(StoreWriter.Done.INSTANCE);
    return this;
  }

  private Behavior<Command> onGetForming(GetForming q) {
    q.replyTo().tell(new FormingBar(bars.forming(q.tf())));
    return this;
  }

  private Behavior<Command> onGetStatus(GetStatus q) {
    q.replyTo().tell(new Status(token, sequencer.status(), accepted, deduper.duplicates(), bars.lateTicks(), bars.tooLateTicks(),
        sequencer.nextExpected(), sequencer.hasOpenGaps()));
    return this;
  }
}
