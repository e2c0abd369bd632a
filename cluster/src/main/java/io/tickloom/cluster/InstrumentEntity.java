package io.tickloom.cluster;

import io.tickloom.cluster.book.BookMetrics;
import io.tickloom.persistence.BarQueries;
import io.tickloom.persistence.BookStore;
import io.tickloom.persistence.IndicatorQueries.IndicatorRow;
import io.tickloom.persistence.IndicatorStore;
import io.tickloom.persistence.InstrumentStore;
import io.tickloom.persistence.TickQueries;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.CborSerializable;
import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Gap;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.book.BookResult;
import io.tickloom.protocol.book.BookSnapshot;
import io.tickloom.protocol.book.DepthMessage;
import io.tickloom.protocol.book.LiveBook;
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
 * kernels of its {@link InstrumentCore} in this order for every tick of an {@link Ingest} batch: {@link Deduper}
 * (same trade from several feeds or a redelivery is processed once), {@link Sequencer} (gaps, LIVE/STALE), the bar
 * aggregator (all timeframes, event time, revisions), and on every final bar the indicator lanes. It answers the
 * batch with the accepted ticks (the ingest stream stores them), hands final bars, gap records and confirmed
 * indicator values to the node's {@link StoreWriter}, and publishes everything to the instrument's topic for live
 * subscribers. A heartbeat timer advances the event clock of an idle instrument (so its bars finalize), expires
 * gaps, publishes forming bars and their indicator values at most once per interval, and writes the warm-start
 * snapshot at most once per {@code snapshot-interval}; the entity also writes one when it stops (passivation,
 * rebalance, shutdown). A starting entity restores its core from that snapshot plus the stored data since
 * ({@link InstrumentCore#restore}), off the actor; messages wait in a stash meanwhile.
 *
 * <p><b>Book.</b> The entity also owns the instrument's order book ({@link LiveBook}: L2 from depth snapshots and
 * updates with update ids, or L3 from order messages), fed by {@link IngestDepth} batches. Per message it does only
 * the kernel's work; per batch it hands the messages to the writer's book log ({@link StoreWriter.WriteBook}) and
 * publishes one {@link MarketEvent.Depth} when someone listens. A book-integrity event (crossed/locked book, unknown
 * order, sequence gap, ...) is counted ({@link BookMetrics}), logged (rate-limited) and makes the instrument STALE — its
 * ticks are accepted with status STALE — until the book's next snapshot. The book's state goes into the log when the
 * entity starts (an empty book: a new incarnation starts from nothing) and every {@code books.snapshot-interval}
 * while it moves, so a book as of any instant is rebuilt from the log ({@link BookStore#bookAt}). The book is not part
 * of the warm start: a new incarnation's book resyncs from the feed's next snapshot.
 */
public final class InstrumentEntity extends AbstractBehavior<InstrumentEntity.Command> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "instrument");

  public sealed interface Command extends CborSerializable {}

  /**
   * Ticks of this instrument, in arrival order. Answered with an {@link IngestAck}. {@code batchId} is unique per
   * sender: a batch sent again (its first answer was lost) is answered with the first answer, not processed again.
   * {@code more}: the sender holds more ticks of this instrument, to be sent once this batch is answered: meanwhile
   * the idle clock does not move (the instrument is not silent, its ticks are on their way).
   */
  public record Ingest(long batchId, List<Tick> ticks, ActorRef<IngestAck> replyTo, boolean more) implements Command {
    public Ingest(long batchId, List<Tick> ticks, ActorRef<IngestAck> replyTo) {
      this(batchId, ticks, replyTo, false);
    }
  }

  /**
   * What became of each tick of an {@link Ingest}, by position: {@link #DROPPED} (duplicate or not this
   * instrument's), {@link #LIVE} or {@link #STALE} (accepted with that status). Positions rather than ticks,
   * so the answer stays small when it crosses the network.
   */
  public record IngestAck(long token, long batchId, byte[] outcomes, int duplicates, int rejected) implements CborSerializable {
    public static final byte DROPPED = 0;
    public static final byte LIVE = 1;
    public static final byte STALE = 2;
    /** Refused by the entity: an implausible seq/trade-id jump, or a tick its kernels could not process (logged, counted). */
    public static final byte REFUSED = 3;

    /** The accepted ticks of {@code sent} (the batch this answers), each with its status. Allocates the list. */
    public List<Tick> accepted(List<Tick> sent) {
      List<Tick> out = new ArrayList<>(sent.size());
      for (int i = 0; i < outcomes.length; i++) {
        if (outcomes[i] == LIVE) out.add(sent.get(i).withStatus(TickStatus.LIVE));
        else if (outcomes[i] == STALE) out.add(sent.get(i).withStatus(TickStatus.STALE));
      }
      return out;
    }

    /**
     * The accepted ticks of {@code part}, the ticks at {@code [from, from + part.size())} of the batch this answers (one
     * submission of several that travelled together), each with its status.
     */
    public List<Tick> accepted(List<Tick> part, int from) {
      List<Tick> out = new ArrayList<>(part.size());
      for (int i = 0, n = part.size(); i < n; i++) {
        byte o = outcomes[from + i];
        if (o == LIVE) out.add(part.get(i).withStatus(TickStatus.LIVE));
        else if (o == STALE) out.add(part.get(i).withStatus(TickStatus.STALE));
      }
      return out;
    }

    public int acceptedCount() {
      int n = 0;
      for (byte o : outcomes) if (o == LIVE || o == STALE) n++;
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

  /**
   * Depth messages of this instrument in feed order (see {@link DepthMessage}). Answered with a {@link DepthAck}.
   * {@code batchId} as for {@link Ingest}: a resent batch is answered again, not applied twice.
   */
  public record IngestDepth(long batchId, List<DepthMessage> messages, ActorRef<DepthAck> replyTo) implements Command {}

  /** What an {@link IngestDepth} did: messages applied, refused as another instrument's, and integrity events. */
  public record DepthAck(long token, long batchId, int applied, int rejected, int integrityEvents) implements CborSerializable {}

  /** The book's top {@code levels} per side. */
  public record GetBook(int levels, ActorRef<BookView> replyTo) implements Command {}

  /**
   * The live book: {@code book} null before any depth message (then {@code kind} is {@code NONE}), {@code ts} the book
   * clock, {@code messages}/{@code integrityEvents} since this incarnation started.
   */
  public record BookView(long token, long ts, String kind, boolean stale, long messages, long integrityEvents, BookSnapshot book)
      implements CborSerializable {}

  public record GetLastPrice(ActorRef<LastPrice> replyTo) implements Command {}

  /** The last traded price (see {@link LiveMarket#lastPrice}); {@code known} false before any tick. */
  public record LastPrice(boolean known, long price) implements CborSerializable {}

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

  /**
   * Stops the entity, first handing a warm-start snapshot to the writer when {@code snapshot} (the sharding stop
   * message, for passivation and rebalance). Without it the stop is as abrupt as a crash: the next start restores
   * from the last periodic snapshot.
   */
  public record Stop(boolean snapshot) implements Command {}

  private enum Heartbeat implements Command { INSTANCE }

  private record Listeners(Topic.TopicStats stats) implements Command {}

  private record Ready(InstrumentCore core, Instrument instrument, Throwable failure) implements Command {}

  private enum WriterFlushed implements Command { INSTANCE }

  /**
   * What every entity on a node shares: looked up once per node, handed to each entity. {@code snapshots},
   * {@code bars} and {@code ticks} serve the warm start; with {@code snapshots} null entities start empty.
   */
  public record Deps(InstrumentRegistry instruments, InstrumentStore instrumentStore, Executor blocking,
      ClusterSettings settings, ActorRef<StoreWriter.Command> writer, MarketTopics topics, IngestMetrics metrics,
      IndicatorStore snapshots, BarQueries bars, TickQueries ticks, BookMetrics bookMetrics) {

    public Deps {
      if (bookMetrics == null) bookMetrics = BookMetrics.none();
    }

    /** Book counters nobody reads. */
    public Deps(InstrumentRegistry instruments, InstrumentStore instrumentStore, Executor blocking, ClusterSettings settings,
        ActorRef<StoreWriter.Command> writer, MarketTopics topics, IngestMetrics metrics, IndicatorStore snapshots, BarQueries bars,
        TickQueries ticks) {
      this(instruments, instrumentStore, blocking, settings, writer, topics, metrics, snapshots, bars, ticks, null);
    }

    /** Entities that start empty (no warm start). */
    public Deps(InstrumentRegistry instruments, InstrumentStore instrumentStore, Executor blocking, ClusterSettings settings,
        ActorRef<StoreWriter.Command> writer, MarketTopics topics, IngestMetrics metrics) {
      this(instruments, instrumentStore, blocking, settings, writer, topics, metrics, null, null, null, null);
    }

    boolean warmStart() {
      return snapshots != null && settings.indicators().warmStart();
    }
  }

  private static final int ACK_MEMORY = 8;
  private static final long LISTEN_GRACE_NANOS = 5_000_000_000L;

  public static void init(ActorSystem<?> system, Deps deps) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, ctx -> create(Long.parseLong(ctx.getEntityId()), deps))
        .withStopMessage(new Stop(true)));
  }

  public static String entityId(long token) {
    return Long.toString(token);
  }

  /**
   * The entity of {@code token}. When this node's directory does not know the instrument yet (registered by another
   * node after this one started), it is read from the instrument store first; with warm start the core is restored
   * from the stored snapshot and data (see {@link InstrumentCore#restore}). Both run on the blocking pool while
   * messages wait in a stash.
   */
  public static Behavior<Command> create(long token, Deps deps) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Heartbeat.INSTANCE, deps.settings().heartbeatInterval());
      Instrument known = deps.instruments().get(token);
      if (known != null && !deps.warmStart()) return new InstrumentEntity(ctx, token, new InstrumentCore(token, known, deps.settings()), deps);
      Runnable load = () -> ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> {
        Instrument instrument = known != null ? known : deps.instrumentStore().find(token).orElse(null);
        InstrumentCore core = deps.warmStart()
            ? InstrumentCore.restore(token, instrument, deps.settings(), deps.snapshots(), deps.bars(), deps.ticks())
            : new InstrumentCore(token, instrument, deps.settings());
        return new Ready(core, instrument, null);
      }, deps.blocking()), (ready, failure) -> failure == null ? ready : new Ready(null, known, failure));
      if (deps.warmStart()) {
        // What a previous incarnation on this node handed the writer must be stored before the restore reads the
        // store, or the restore would number revisions the writer is about to store with other content.
        ctx.ask(StoreWriter.Done.class, deps.writer(), deps.settings().writerFlushTimeout(), StoreWriter.Flush::new,
            (done, failure) -> WriterFlushed.INSTANCE);
      } else {
        load.run();
      }
      return Behaviors.withStash(10_000, stash -> Behaviors.receive(Command.class)
          .onMessage(Ready.class, ready -> {
            Instrument found = ready.instrument();
            InstrumentCore core = ready.core();
            if (found != null && known == null) deps.instruments().addAll(List.of(found));
            if (found == null) ctx.getLog().warn("instrument {} is unknown (not in the instrument store); its bars use UTC day hours", token);
            if (core == null) {
              // Start empty (ingest must go on), but keep the stored snapshot: this incarnation writes none, so the
              // next start can still restore what this one could not read.
              ctx.getLog().error("instrument {} could not be restored ({}); it starts empty and writes no snapshot", token,
                  ready.failure().toString());
              core = new InstrumentCore(token, found, deps.settings());
              core.snapshotsDisabled = true;
            } else if (core.restoreSummary != null) {
              ctx.getLog().info("instrument {}: {}", token, core.restoreSummary);
            }
            return stash.unstashAll(new InstrumentEntity(ctx, token, core, deps));
          })
          .onMessage(WriterFlushed.class, f -> {
            load.run();
            return Behaviors.same();
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
  private final InstrumentCore core;
  private final Deduper deduper;
  private final Sequencer sequencer;
  private final io.tickloom.protocol.bars.BarAggregator bars;
  private final ActorRef<Topic.Command<MarketEvent>> topic;
  private final Timeframe[] timeframes;
  private long accepted;
  private final long snapshotIntervalNanos;
  private long lastSnapshotNanos = System.nanoTime();
  private boolean changedSinceSnapshot;
  private long lastArrivalWall = Long.MIN_VALUE;
  /**
   * The last batch said its sender holds more of this instrument's ticks: the idle clock waits for them, for at most
   * {@link #BACKLOG_PATIENCE_NANOS} (a sender that died sends nothing more).
   */
  private boolean backlogBehind;
  private static final long BACKLOG_PATIENCE_NANOS = 10_000_000_000L;
  private long ticksSincePublish;
  /** Whether anyone, on any node, subscribes to this instrument's topic; refreshed every heartbeat. */
  private boolean listened;
  private long listenUntil = Long.MIN_VALUE;
  private final ActorRef<Topic.TopicStats> statsAdapter;
  private final long[] recentBatchIds = new long[ACK_MEMORY];
  private final IngestAck[] recentAcks = new IngestAck[ACK_MEMORY];
  private int recentNext;
  private final LiveBook book = new LiveBook();
  private final long bookStateIntervalNanos;
  private long lastBookStateNanos = System.nanoTime();
  private boolean bookChangedSinceState;
  /** Whether this incarnation has logged its starting (empty) book state yet. */
  private boolean bookLogStarted;
  private long lastIntegrityLog;
  /** This incarnation's id and the count of its must-deliver events (see {@link MarketEvent.Sequenced}). */
  private final long incarnation = java.util.concurrent.ThreadLocalRandom.current().nextLong();
  private long eventSeq;
  private final long[] recentDepthBatchIds = new long[ACK_MEMORY];
  private final DepthAck[] recentDepthAcks = new DepthAck[ACK_MEMORY];
  private int recentDepthNext;

  private InstrumentEntity(ActorContext<Command> ctx, long token, InstrumentCore core, Deps deps) {
    super(ctx);
    this.token = token;
    this.deps = deps;
    this.core = core;
    this.deduper = core.deduper;
    this.sequencer = core.sequencer;
    this.bars = core.bars;
    this.timeframes = core.timeframes;
    this.snapshotIntervalNanos = deps.settings().indicators().snapshotInterval().toNanos();
    this.bookStateIntervalNanos = deps.settings().books().snapshotInterval().toNanos();
    this.topic = deps.topics().topic(token);
    this.statsAdapter = ctx.messageAdapter(Topic.TopicStats.class, Listeners::new);
    // A new incarnation (start, restart, hand-off) publishes from its first event: subscribers of the previous one are
    // still there, but this topic instance learns of them only through the topic's statistics a moment later.
    this.listened = true;
    this.listenUntil = System.nanoTime() + LISTEN_GRACE_NANOS;
    if (!core.restoredBars.isEmpty() || !core.confirmed.isEmpty()) {
      // Bars the store lacked (their write was lost with the previous owner) and their indicator values.
      deps.writer().tell(new StoreWriter.Write(List.copyOf(core.restoredBars), List.of(), rows(core.confirmed, false),
          rows(core.confirmed, true), List.of()));
      core.confirmed.clear();
      core.recomputed.clear();
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Ingest.class, this::onIngest)
        .onMessage(IngestDepth.class, this::onIngestDepth)
        .onMessage(GetBook.class, q -> {
          q.replyTo().tell(bookView(q.levels()));
          return this;
        })
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
        .onMessage(Ready.class, r -> this)
        .onMessage(WriterFlushed.class, f -> this)
        .onMessage(GetForming.class, this::onGetForming)
        .onMessage(GetFormingIndicators.class, q -> {
          q.replyTo().tell(new FormingIndicators(core.forming(q.tf())));
          return this;
        })
        .onMessage(Stop.class, this::onStop)
        .onMessage(AdvanceClock.class, this::onAdvanceClock)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(GetLastPrice.class, q -> {
          q.replyTo().tell(new LastPrice(core.lastTradeKnown(), core.lastTradePrice));
          return this;
        })
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
      String implausible = core.implausible(in, i);
      if (implausible != null) {
        outcomes[i] = IngestAck.REFUSED;
        rejected++;
        deps.metrics().onJump(1);
        onPoison("tick with an implausible jump (" + implausible + ")", t, null);
        continue;
      }
      TickStatus sequenced;
      try {
        sequenced = core.onTick(t);
      } catch (RuntimeException e) {
        // A tick the kernels cannot take (a bug, or a value no check foresaw) is refused alone: the batch, and the
        // instrument's stream behind it, go on.
        outcomes[i] = IngestAck.REFUSED;
        rejected++;
        deps.metrics().onPoison(1);
        onPoison("tick", t, e);
        continue;
      }
      if (sequenced == null) {
        dup++;
        continue;
      }
      TickStatus status = book.stale() ? TickStatus.STALE : sequenced;
      outcomes[i] = status == TickStatus.LIVE ? IngestAck.LIVE : IngestAck.STALE;
      if (t.feed() == Feed.PRIMARY || t.feed() == Feed.SECONDARY) live = true;
      if (listened) out.add(t.withStatus(status));
    }
    IngestAck ack = new IngestAck(token, msg.batchId(), outcomes, dup, rejected);
    int acceptedNow = in.size() - dup - rejected;
    // Only live feeds move the idle clock: imported history is not extrapolated at wall-clock pace (that would invent
    // carry bars for times the file never covered); an import finalizes its bars with AdvanceClock.
    if (live) lastArrivalWall = System.currentTimeMillis() * 1_000_000L;
    backlogBehind = msg.more();
    accepted += acceptedNow;
    ticksSincePublish += acceptedNow;
    deps.metrics().onBatch(acceptedNow, dup, rejected);
    recentBatchIds[recentNext] = msg.batchId();
    recentAcks[recentNext] = ack;
    recentNext = (recentNext + 1) % ACK_MEMORY;
    msg.replyTo().tell(ack);
    if (acceptedNow > 0) publish(listened ? new MarketEvent.Ticks(token, java.util.Collections.unmodifiableList(out)) : null, false);
    drainOutputs();
    return this;
  }

  private Behavior<Command> onIngestDepth(IngestDepth msg) {
    for (int i = 0; i < ACK_MEMORY; i++) {
      if (recentDepthAcks[i] != null && recentDepthBatchIds[i] == msg.batchId()) {
        msg.replyTo().tell(recentDepthAcks[i]);
        return this;
      }
    }
    List<DepthMessage> in = msg.messages();
    boolean log = deps.settings().books().storeEvents();
    List<BookStore.Entry> entries = log ? new ArrayList<>(in.size() + 1) : null;
    int applied = 0;
    int rejected = 0;
    int violations = 0;
    for (int i = 0, n = in.size(); i < n; i++) {
      DepthMessage m = in.get(i);
      if (m.token() != token) {
        rejected++;
        continue;
      }
      if (log && !bookLogStarted) {
        // A new incarnation's book starts empty: so must a book rebuilt from the log past this point.
        entries.add(BookStore.Entry.state(token, m.exchangeTs(), book.writeState()));
        bookLogStarted = true;
      }
      BookResult r;
      try {
        r = book.apply(m);
      } catch (RuntimeException e) {
        rejected++;
        deps.metrics().onPoison(1);
        onPoison("depth message", m, e);
        continue;
      }
      applied++;
      if (r.isViolation()) {
        violations++;
        onIntegrityEvent(r, m);
      }
      if (log) entries.add(BookStore.Entry.message(token, book.clock(), m));
    }
    DepthAck ack = new DepthAck(token, msg.batchId(), applied, rejected, violations);
    recentDepthBatchIds[recentDepthNext] = msg.batchId();
    recentDepthAcks[recentDepthNext] = ack;
    recentDepthNext = (recentDepthNext + 1) % ACK_MEMORY;
    msg.replyTo().tell(ack);
    if (applied == 0) return this;
    bookChangedSinceState = true;
    deps.bookMetrics().onMessages(applied);
    if (log) deps.writer().tell(new StoreWriter.WriteBook(entries));
    if (listened) publish(depthEvent(), true);
    return this;
  }

  private long lastPoisonLog;

  private void onPoison(String what, Object item, RuntimeException e) {
    long now = System.nanoTime();
    if (now - lastPoisonLog > 1_000_000_000L) {
      lastPoisonLog = now;
      if (e == null) {
        getContext().getLog().warn("instrument {}: refused a {}: {} (further ones this second are only counted)", token, what, item);
      } else {
        getContext().getLog().error("instrument {}: a {} could not be processed and was refused ({}): {} (further ones this second are only "
            + "counted in tickloom_ingest_poison_total)", token, what, e.toString(), item, e);
      }
    }
  }

  private void onIntegrityEvent(BookResult kind, DepthMessage m) {
    deps.bookMetrics().onIntegrityEvent(kind);
    long now = System.nanoTime();
    if (now - lastIntegrityLog > 1_000_000_000L) {
      lastIntegrityLog = now;
      getContext().getLog().warn("book of {}: integrity event {} on {} (instrument STALE until the next snapshot; further events this second are only counted)",
          token, kind, m.type());
    }
  }

  /**
   * Publishes {@code event} numbered in this incarnation's stream (see {@link MarketEvent.Sequenced}); a must-deliver
   * event is counted even when it is not published ({@code event} null: nobody listens), so a subscriber can tell.
   */
  private void publish(MarketEvent event, boolean conflatable) {
    if (!conflatable) eventSeq++;
    if (event != null) topic.tell(Topic.publish(new MarketEvent.Sequenced(token, incarnation, eventSeq, conflatable, event)));
  }

  private MarketEvent.Depth depthEvent() {
    return new MarketEvent.Depth(token, book.clock(), book.kind().name(), book.stale(), book.snapshot(deps.settings().books().publishLevels()));
  }

  private BookView bookView(int levels) {
    return new BookView(token, book.clock(), book.kind().name(), book.stale(), book.messages(), book.integrityEvents(),
        book.snapshot(Math.max(1, Math.min(levels, 1000))));
  }

  /** The book's state into the log, when it moved since the last one and it is complete (see {@link LiveBook#stateComplete}). */
  private void logBookState() {
    if (!bookChangedSinceState || !deps.settings().books().storeEvents() || !book.stateComplete()) return;
    deps.writer().tell(new StoreWriter.WriteBook(List.of(BookStore.Entry.state(token, book.clock(), book.writeState()))));
    lastBookStateNanos = System.nanoTime();
    bookChangedSinceState = false;
  }

  private Behavior<Command> onHeartbeat() {
    long wall = System.currentTimeMillis() * 1_000_000L;
    sequencer.expire(wall);
    if (lastArrivalWall != Long.MIN_VALUE) {
      // While the instrument is silent, its event time advances at wall-clock pace from its newest tick, measured
      // from when that batch reached this entity (not the feed's receive stamp): a live bar finalizes `grace`
      // after its end, while ticks that keep arriving, however far behind a backlog has put them, are never
      // overtaken by the heartbeat.
      // A sender with more of its ticks in hand (an ingest lane behind a backlog: one batch in flight per instrument)
      // holds the clock too, so a backlog that comes batch by batch is not overtaken between two batches either.
      long silent = wall - lastArrivalWall;
      if (!backlogBehind || silent > BACKLOG_PATIENCE_NANOS) {
        long eventNow = core.lastExchangeTs + silent;
        if (eventNow > bars.clock()) bars.advanceClock(eventNow);
      }
    }
    drainOutputs();
    // Publishing to a topic nobody listens to costs a message and a dead letter per batch: ask who listens.
    topic.tell(Topic.getTopicStats(statsAdapter));
    if (listened && ticksSincePublish > 0) {
      ticksSincePublish = 0;
      for (Timeframe tf : timeframes) {
        Bar f = bars.forming(tf);
        if (f == null) continue;
        publish(new MarketEvent.BarUpdate(token, f), true);
        MarketEvent.IndicatorUpdate values = core.forming(tf);
        if (values != null) publish(values, true);
      }
    }
    if (changedSinceSnapshot && System.nanoTime() - lastSnapshotNanos >= snapshotIntervalNanos) snapshot();
    if (bookChangedSinceState && System.nanoTime() - lastBookStateNanos >= bookStateIntervalNanos) logBookState();
    return this;
  }

  /** Hands the warm-start snapshot to the writer, after everything this entity gave it before (same queue). */
  private void snapshot() {
    if (deps.snapshots() == null || core.snapshotsDisabled || !core.hasBars()) return;
    deps.writer().tell(new StoreWriter.Write(List.of(), List.of(), List.of(), List.of(),
        List.of(new StoreWriter.Snapshot(token, System.currentTimeMillis() * 1_000_000L, core.snapshot()))));
    lastSnapshotNanos = System.nanoTime();
    changedSinceSnapshot = false;
  }

  /**
   * A graceful stop waits until the writer has stored everything this entity gave it, snapshot last, so that the
   * next owner (maybe on another node, after the sharding handoff) restores from complete data. Messages arriving
   * meanwhile are not processed (their senders retry against the next incarnation).
   */
  private Behavior<Command> onStop(Stop stop) {
    drainOutputs();
    if (!stop.snapshot()) return Behaviors.stopped();
    snapshot();
    getContext().ask(StoreWriter.Done.class, deps.writer(), deps.settings().writerFlushTimeout(), StoreWriter.Flush::new,
        (done, failure) -> WriterFlushed.INSTANCE);
    return Behaviors.receive(Command.class)
        .onMessage(WriterFlushed.class, f -> Behaviors.stopped())
        .onAnyMessage(m -> Behaviors.same())
        .build();
  }

  /** The rows of {@code updates} (positions as in the core's confirmed list) that do or do not replace stored ones. */
  private List<IndicatorRow> rows(List<MarketEvent.IndicatorUpdate> updates, boolean replacing) {
    List<IndicatorRow> rows = new ArrayList<>();
    for (int i = 0; i < updates.size(); i++) {
      if (core.recomputed.get(i) != replacing) continue;
      MarketEvent.IndicatorUpdate u = updates.get(i);
      rows.add(new IndicatorRow(token, u.tf(), u.start(), u.names(), u.values()));
    }
    return rows;
  }

  private void drainOutputs() {
    if (core.finals.isEmpty() && core.gaps.isEmpty()) return;
    core.settleIndicators();
    List<Bar> b = List.copyOf(core.finals);
    List<Gap> g = List.copyOf(core.gaps);
    List<MarketEvent.IndicatorUpdate> values = List.copyOf(core.confirmed);
    List<IndicatorRow> fresh = rows(values, false);
    List<IndicatorRow> replacing = rows(values, true);
    core.finals.clear();
    core.gaps.clear();
    core.confirmed.clear();
    core.recomputed.clear();
    if (!b.isEmpty()) {
      deps.metrics().onFinalBars(b.size());
      changedSinceSnapshot = true;
    }
    for (Gap gap : g) deps.metrics().onGap(gap.state());
    deps.writer().tell(new StoreWriter.Write(b, g, fresh, replacing, List.of()));
    for (Bar bar : b) publish(listened ? new MarketEvent.BarUpdate(token, bar) : null, false);
    for (MarketEvent.IndicatorUpdate v : values) publish(listened ? v : null, false);
    for (Gap gap : g) publish(listened ? new MarketEvent.GapUpdate(token, gap) : null, false);
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
    q.replyTo().tell(new Status(token, book.stale() ? TickStatus.STALE : sequencer.status(), accepted, deduper.duplicates(), bars.lateTicks(), bars.tooLateTicks(),
        sequencer.nextExpected(), sequencer.hasOpenGaps()));
    return this;
  }
}
