package io.tickloom.cluster;

import io.tickloom.persistence.InstrumentStore;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.CborSerializable;
import io.tickloom.protocol.EmptyBarPolicy;
import io.tickloom.protocol.Feed;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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

  /**
   * Ticks of this instrument, in arrival order. Answered with an {@link IngestAck}. {@code batchId} is unique per
   * sender: a batch sent again (its first answer was lost) is answered with the first answer, not processed again.
   */
  public record Ingest(long batchId, List<Tick> ticks, ActorRef<IngestAck> replyTo) implements Command {}

  /**
   * What became of each tick of an {@link Ingest}, by position: {@link #DROPPED} (duplicate or not this
   * instrument's), {@link #LIVE} or {@link #STALE} (accepted with that status). Positions rather than ticks,
   * so the answer stays small when it crosses the network.
   */
  public record IngestAck(long token, long batchId, byte[] outcomes, int duplicates, int rejected) implements CborSerializable {
    public static final byte DROPPED = 0;
    public static final byte LIVE = 1;
    public static final byte STALE = 2;

    /** The accepted ticks of {@code sent} (the batch this answers), each with its status. Allocates the list. */
    public List<Tick> accepted(List<Tick> sent) {
      List<Tick> out = new ArrayList<>(sent.size());
      for (int i = 0; i < outcomes.length; i++) {
        if (outcomes[i] == LIVE) out.add(sent.get(i).withStatus(TickStatus.LIVE));
        else if (outcomes[i] == STALE) out.add(sent.get(i).withStatus(TickStatus.STALE));
      }
      return out;
    }

    public int acceptedCount() {
      int n = 0;
      for (byte o : outcomes) if (o != DROPPED) n++;
      return n;
    }
  }

  public record GetForming(Timeframe tf, ActorRef<FormingBar> replyTo) implements Command {}

  /** {@code bar} is null when nothing forms for that timeframe. */
  public record FormingBar(Bar bar) implements CborSerializable {}

  public record GetFormingIndicators(Timeframe tf, ActorRef<FormingIndicators> replyTo) implements Command {}

  /** {@code update} is null when nothing forms for that timeframe or no indicators run. */
  public record FormingIndicators(MarketEvent.IndicatorUpdate update) implements CborSerializable {}

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  public record Status(long token, TickStatus status, long accepted, long duplicates, long lateTicks, long tooLateTicks,
      long nextExpectedSeq, boolean openGaps) implements CborSerializable {}

  /**
   * An event-time watermark from a feed: nothing older than {@code eventTs} is still to come, so bars ending
   * before {@code eventTs - grace} are final. Used at the end of a file import and by feeds with their own
   * heartbeats; a live instrument does not need it (its heartbeat timer advances the clock).
   */
  public record AdvanceClock(long eventTs, ActorRef<ClockAdvanced> replyTo) implements Command {}

  /** Answer to {@link AdvanceClock}: the bars it finalized are with the node's writer. */
  public enum ClockAdvanced implements CborSerializable { INSTANCE }

  /**
   * Someone just subscribed to this instrument's topic: publish from now on, without waiting for the topic's
   * subscriber count (which reaches other nodes only after a moment).
   */
  public enum Listen implements Command { INSTANCE }

  private enum Heartbeat implements Command { INSTANCE }

  private record Listeners(Topic.TopicStats stats) implements Command {}

  private record Loaded(Instrument instrument, Throwable failure) implements Command {}

  /** What every entity on a node shares: looked up once per node, handed to each entity. */
  public record Deps(InstrumentRegistry instruments, InstrumentStore instrumentStore, Executor blocking,
      ClusterSettings settings, ActorRef<StoreWriter.Command> writer, MarketTopics topics, IngestMetrics metrics) {}

  private static final int ACK_MEMORY = 8;
  private static final long LISTEN_GRACE_NANOS = 5_000_000_000L;

  public static void init(ActorSystem<?> system, Deps deps) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, ctx -> create(Long.parseLong(ctx.getEntityId()), deps)));
  }

  public static String entityId(long token) {
    return Long.toString(token);
  }

  /**
   * The entity of {@code token}. When this node's directory does not know the instrument yet (registered by
   * another node after this one started), it is read from the instrument store first, messages stashed meanwhile.
   */
  public static Behavior<Command> create(long token, Deps deps) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Heartbeat.INSTANCE, deps.settings().heartbeatInterval());
      Instrument known = deps.instruments().get(token);
      if (known != null) return new InstrumentEntity(ctx, token, known, deps);
      ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> deps.instrumentStore().find(token).orElse(null), deps.blocking()),
          Loaded::new);
      return Behaviors.withStash(10_000, stash -> Behaviors.receive(Command.class)
          .onMessage(Loaded.class, loaded -> {
            Instrument found = loaded.instrument();
            if (found != null) deps.instruments().addAll(List.of(found));
            else ctx.getLog().warn("instrument {} is unknown ({}); its bars use UTC day hours", token,
                loaded.failure() == null ? "not in the instrument store" : loaded.failure().toString());
            return stash.unstashAll(new InstrumentEntity(ctx, token, found, deps));
          })
          .onMessage(Heartbeat.class, h -> Behaviors.same())
          .onAnyMessage(m -> {
            stash.stash(m);
            return Behaviors.same();
          })
          .build());
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
  private long listenUntil = Long.MIN_VALUE;
  private final ActorRef<Topic.TopicStats> statsAdapter;
  private final long[] recentBatchIds = new long[ACK_MEMORY];
  private final IngestAck[] recentAcks = new IngestAck[ACK_MEMORY];
  private int recentNext;

  private InstrumentEntity(ActorContext<Command> ctx, long token, Instrument instrument, Deps deps) {
    super(ctx);
    this.token = token;
    this.deps = deps;
    ClusterSettings s = deps.settings();
    TradingHours hours;
    EmptyBarPolicy policy;
    if (instrument == null) {
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
          listened = l.stats().localSubscriberCount() > 0 || l.stats().topicInstanceCount() > 0
              || System.nanoTime() < listenUntil;
          return this;
        })
        .onMessage(Listen.class, l -> {
          listened = true;
          listenUntil = System.nanoTime() + LISTEN_GRACE_NANOS;
          return this;
        })
        .onMessage(Loaded.class, l -> this)
        .onMessage(GetForming.class, this::onGetForming)
        .onMessage(GetFormingIndicators.class, q -> {
          q.replyTo().tell(new FormingIndicators(null));
          return this;
        })
        .onMessage(AdvanceClock.class, this::onAdvanceClock)
        .onMessage(GetStatus.class, this::onGetStatus)
        .build();
  }

  private Behavior<Command> onIngest(Ingest msg) {
    for (int i = 0; i < ACK_MEMORY; i++) {
      if (recentAcks[i] != null && recentBatchIds[i] == msg.batchId()) {
        msg.replyTo().tell(recentAcks[i]); // a resend after a lost answer: same answer, nothing processed twice
        return this;
      }
    }
    List<Tick> in = msg.ticks();
    byte[] outcomes = new byte[in.size()];
    List<Tick> out = new ArrayList<>(in.size());
    int dup = 0;
    int rejected = 0;
    boolean live = false;
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
      // Unsequenced feeds (Kite snapshots) are deduplicated by trade id only; they cannot show a gap.
      if (t.seq() != Tick.NO_SEQ) sequencer.accept(t.seq(), t.receiveTs());
      TickStatus status = sequencer.status();
      outcomes[i] = status == TickStatus.LIVE ? IngestAck.LIVE : IngestAck.STALE;
      bars.onTick(t.exchangeTs(), t.price(), t.qty(), t.orderKey());
      if (t.exchangeTs() > lastExchangeTs) lastExchangeTs = t.exchangeTs();
      if (t.feed() == Feed.PRIMARY || t.feed() == Feed.SECONDARY) live = true;
      if (listened) out.add(t.withStatus(status));
    }
    IngestAck ack = new IngestAck(token, msg.batchId(), outcomes, dup, rejected);
    int acceptedNow = in.size() - dup - rejected;
    // Only live feeds move the idle clock: imported history is not extrapolated at wall-clock pace (that would invent
    // carry bars for times the file never covered); an import finalizes its bars with AdvanceClock.
    if (live) lastArrivalWall = System.currentTimeMillis() * 1_000_000L;
    accepted += acceptedNow;
    ticksSincePublish += acceptedNow;
    deps.metrics().onBatch(acceptedNow, dup, rejected);
    recentBatchIds[recentNext] = msg.batchId();
    recentAcks[recentNext] = ack;
    recentNext = (recentNext + 1) % ACK_MEMORY;
    msg.replyTo().tell(ack);
    if (!out.isEmpty()) topic.tell(Topic.publish(new MarketEvent.Ticks(token, java.util.Collections.unmodifiableList(out))));
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
    for (Gap gap : g) deps.metrics().onGap(gap.state());
    deps.writer().tell(new StoreWriter.Write(b, g));
    if (!listened) return;
    for (Bar bar : b) topic.tell(Topic.publish(new MarketEvent.BarUpdate(token, bar)));
    for (Gap gap : g) topic.tell(Topic.publish(new MarketEvent.GapUpdate(token, gap)));
  }

  private Behavior<Command> onAdvanceClock(AdvanceClock a) {
    if (a.eventTs() > bars.clock()) bars.advanceClock(a.eventTs());
    drainOutputs();
    a.replyTo().tell(ClockAdvanced.INSTANCE);
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
