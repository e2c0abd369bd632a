package io.tickloom.cluster;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery of one kind of instrument message (ticks, depth messages) from a node's ingest streams to the sharded
 * {@link InstrumentEntity}s, one <em>lane</em> per instrument, so that an entity that is away (its node died, its shard is
 * moving) delays only its own instrument.
 *
 * <p>A lane holds what waits for its entity and has at most one batch in flight: the waiting submissions, merged up to
 * {@code max-instrument-batch}, go as one entity message; the next batch leaves when the entity has answered, so an
 * instrument's messages reach it in the order they were offered. Across lanes at most {@code max-in-flight} items are
 * on their way to entities that answer; lanes beyond it wait their turn (in order, merging what they receive meanwhile),
 * so no batch queues at the entities for long enough to be taken for one whose entity is away. An ask that fails
 * (timeout: the entity's node is unreachable or its shard is being re-homed) is sent again with backoff, with the same batch id, so an entity that
 * processed it but whose answer was lost answers again instead of processing it twice. Meanwhile other lanes keep
 * flowing.
 *
 * <p>Bounds, so nothing grows without limit and nothing is dropped silently:
 * <ul>
 *   <li>{@code max-held}: items offered and not yet released across all lanes (released when the entity answered, or
 *       for ticks when they are stored). Beyond it an offer is admitted only when enough is released: the ingest
 *       stream is backpressured (a database that does not keep up, or many shards away at once);</li>
 *   <li>{@code max-held-per-instrument}: beyond it the lane's oldest waiting submissions are dropped: counted in
 *       {@code tickloom_ingest_overflow_total}, logged as an error, their submitters told (Kafka then commits nothing
 *       past them);</li>
 *   <li>{@code max-hold}: a batch whose entity has not answered for this long is dropped the same way, with what waits
 *       behind it.</li>
 * </ul>
 * The bounds are documented in docs/cluster.md. All state is this actor's; submitters learn the outcome through their
 * {@link Receipt}, called on this actor's thread (it must be quick and must not block).
 */
final class IngestLanes<T, A> {
  private static final Logger log = LoggerFactory.getLogger(IngestLanes.class);

  /** How one kind of message goes to its entity. */
  interface Protocol<T, A> {
    long token(T item);

    /**
     * The entity command carrying {@code items} (all of one instrument) as batch {@code batchId}; {@code more}: the lane
     * holds more of the instrument's items, sent once this batch is answered.
     */
    InstrumentEntity.Command command(long batchId, List<T> items, ActorRef<A> replyTo, boolean more);

    /** Whether several submissions may travel in one entity batch (their answers are sliced by position). */
    boolean merge();

    /** For logs: "ticks", "depth messages". */
    String what();
  }

  /** What a submitter learns of one submission. Called on the lanes' actor: quick, never blocking. */
  interface Receipt<A> {
    /**
     * The entity answered the batch that carried this submission, whose items are at {@code [from, from + count)} of it.
     *
     * @return how many of the submission's items the submitter still holds (ticks handed on to storage: released later
     *     with {@link IngestLanes#release}); 0 releases them all now
     */
    int answered(A ack, int from, int count);

    /** The submission was dropped (a bound was exceeded: {@code reason}); nothing of it reached an entity for sure. */
    void dropped(String reason);
  }

  /** Items of one instrument with their receipt. */
  record Submission<T, A>(long token, List<T> items, Receipt<A> receipt) {}

  /** Settings of the lanes (tickloom.cluster.ingest). */
  record Settings(int maxBatch, long maxHeld, long maxHeldPerInstrument, long maxInFlight, Duration maxHold, Duration askTimeout,
      Duration minBackoff, Duration maxBackoff) {}

  private final ActorRef<Command> actor;

  IngestLanes(ActorSystem<?> system, String name, Protocol<T, A> protocol, Settings settings, IngestMetrics.Lanes metrics) {
    this.actor = system.systemActorOf(Behaviors.<Command>setup(ctx -> Behaviors.withTimers(timers ->
        new Lanes<>(ctx, timers, ClusterSharding.get(system), protocol, settings, metrics))), name, Props.empty());
  }

  /**
   * Offers submissions (each of one instrument). The stage completes when they are admitted (held within
   * {@code max-held}); their outcomes come through their receipts.
   */
  CompletionStage<Void> offer(List<Submission<T, A>> submissions) {
    CompletableFuture<Void> admitted = new CompletableFuture<>();
    if (submissions.isEmpty()) {
      admitted.complete(null);
      return admitted;
    }
    actor.tell(new Offer<>(submissions, admitted));
    return admitted;
  }

  /** Releases {@code n} items a receipt kept held (stored, or given up). */
  void release(long n) {
    if (n > 0) actor.tell(new Release(n));
  }

  interface Command {}

  private record Offer<T, A>(List<Submission<T, A>> submissions, CompletableFuture<Void> admitted) implements Command {}

  private record Answered(long token, long batchId, Object ack, Throwable failure) implements Command {}

  private record Retry(long token, long batchId) implements Command {}

  private record Release(long n) implements Command {}

  private enum Sweep implements Command { INSTANCE }

  /** One instrument's lane. */
  private static final class Lane<T, A> {
    final long token;
    final ArrayDeque<Submission<T, A>> waiting = new ArrayDeque<>();
    long waitingItems;
    /** The batch in flight: its submissions in order, its items, id, attempts, and when it was first sent. */
    List<Submission<T, A>> inFlight;
    List<T> batch;
    long batchId;
    int attempts;
    long sentAt;
    /** Whether the batch in flight counts in {@code max-in-flight} (until its first attempt fails). */
    boolean counted;
    /** Whether the lane waits in the ready queue for room in {@code max-in-flight}. */
    boolean queued;
    /** When the entity stopped answering (first failed attempt), or 0 while it answers. */
    long awaySince;
    long lastAwayLog;

    Lane(long token) {
      this.token = token;
    }

    long held() {
      return waitingItems + (batch == null ? 0 : batch.size());
    }
  }

  private static final class Lanes<T, A> extends AbstractBehavior<Command> {
    private final TimerScheduler<Command> timers;
    private final ClusterSharding sharding;
    private final Protocol<T, A> protocol;
    private final Settings settings;
    private final IngestMetrics.Lanes metrics;
    private final Map<Long, Lane<T, A>> lanes = new HashMap<>();
    private final ArrayDeque<Offer<T, A>> admission = new ArrayDeque<>();
    /** Lanes with waiting items and nothing in flight, waiting for room in max-in-flight, in order. */
    private final ArrayDeque<Lane<T, A>> ready = new ArrayDeque<>();
    private long held;
    /** Items of counted batches in flight. */
    private long inFlight;
    private long batchIds = ThreadLocalRandom.current().nextLong() & 0x7fff_ffff_0000_0000L;
    private long lastOverflowLog;

    Lanes(ActorContext<Command> ctx, TimerScheduler<Command> timers, ClusterSharding sharding, Protocol<T, A> protocol, Settings settings,
        IngestMetrics.Lanes metrics) {
      super(ctx);
      this.timers = timers;
      this.sharding = sharding;
      this.protocol = protocol;
      this.settings = settings;
      this.metrics = metrics;
      timers.startTimerWithFixedDelay(Sweep.INSTANCE, Duration.ofSeconds(1));
    }

    @Override
    @SuppressWarnings("unchecked")
    public Receive<Command> createReceive() {
      return newReceiveBuilder()
          .onMessage(Offer.class, o -> onOffer((Offer<T, A>) o))
          .onMessage(Answered.class, this::onAnswered)
          .onMessage(Retry.class, this::onRetry)
          .onMessage(Release.class, r -> {
            held -= r.n();
            admit();
            return this;
          })
          .onMessageEquals(Sweep.INSTANCE, this::onSweep)
          .build();
    }

    private Behavior<Command> onOffer(Offer<T, A> o) {
      admission.add(o);
      admit();
      return this;
    }

    /** Admits waiting offers in order while they fit in max-held (an offer always fits into empty lanes). */
    private void admit() {
      while (!admission.isEmpty()) {
        Offer<T, A> next = admission.peek();
        long size = 0;
        for (Submission<T, A> s : next.submissions()) size += s.items().size();
        if (held > 0 && held + size > settings.maxHeld()) break;
        admission.poll();
        held += size;
        for (Submission<T, A> s : next.submissions()) enqueue(s);
        next.admitted().complete(null);
      }
      metrics.held(held, admission.size());
    }

    private void enqueue(Submission<T, A> s) {
      Lane<T, A> lane = lanes.computeIfAbsent(s.token(), Lane::new);
      lane.waiting.add(s);
      lane.waitingItems += s.items().size();
      while (lane.held() > settings.maxHeldPerInstrument() && !lane.waiting.isEmpty()) {
        Submission<T, A> oldest = lane.waiting.poll();
        lane.waitingItems -= oldest.items().size();
        drop(lane, oldest, "more than " + settings.maxHeldPerInstrument() + " " + protocol.what() + " of instrument " + lane.token
            + " held while its entity is away (tickloom.cluster.ingest.max-held-per-instrument)");
      }
      if (lane.batch == null && !lane.queued) next(lane);
    }

    /** The lane has nothing in flight: it sends its next batch now, or queues for room in max-in-flight. */
    private void next(Lane<T, A> lane) {
      if (!lane.waiting.isEmpty() && (!ready.isEmpty() || inFlight >= settings.maxInFlight())) {
        lane.queued = true;
        ready.add(lane);
      } else {
        send(lane);
      }
    }

    /** Sends the batches of ready lanes, in order, while there is room in max-in-flight. */
    private void sendReady() {
      while (!ready.isEmpty() && inFlight < settings.maxInFlight()) {
        Lane<T, A> lane = ready.poll();
        lane.queued = false;
        if (lanes.get(lane.token) == lane && lane.batch == null) send(lane);
      }
    }

    /** The lane's batch stops counting in max-in-flight (answered, failed once, or dropped). */
    private void uncount(Lane<T, A> lane) {
      if (lane.counted) {
        lane.counted = false;
        inFlight -= lane.batch.size();
      }
    }

    /** Sends the lane's next batch: its waiting submissions, merged up to max-instrument-batch. */
    private void send(Lane<T, A> lane) {
      if (lane.waiting.isEmpty()) {
        lanes.remove(lane.token);
        return;
      }
      List<Submission<T, A>> subs = new ArrayList<>();
      List<T> items;
      Submission<T, A> first = lane.waiting.poll();
      subs.add(first);
      if (!protocol.merge() || lane.waiting.isEmpty()
          || first.items().size() + lane.waiting.peek().items().size() > settings.maxBatch()) {
        items = first.items();
      } else {
        items = new ArrayList<>(first.items());
        while (!lane.waiting.isEmpty() && items.size() + lane.waiting.peek().items().size() <= settings.maxBatch()) {
          Submission<T, A> s = lane.waiting.poll();
          subs.add(s);
          items.addAll(s.items());
        }
      }
      for (Submission<T, A> s : subs) lane.waitingItems -= s.items().size();
      lane.inFlight = subs;
      lane.batch = List.copyOf(items);
      lane.batchId = ++batchIds;
      lane.attempts = 0;
      lane.sentAt = System.nanoTime();
      lane.counted = true;
      inFlight += lane.batch.size();
      ask(lane);
    }

    private void ask(Lane<T, A> lane) {
      lane.attempts++;
      long token = lane.token;
      long batchId = lane.batchId;
      List<T> items = lane.batch;
      boolean more = !lane.waiting.isEmpty();
      // Not getContext().ask: it pipes a Scala-backed CompletionStage, whose every callback goes to the common pool, and
      // on two cores that pool starts a new thread per callback (one per entity batch). Futures.plain completes in place.
      ActorRef<Command> self = getContext().getSelf();
      Futures.plain(sharding.entityRefFor(InstrumentEntity.TYPE_KEY, InstrumentEntity.entityId(token))
              .<A>ask(replyTo -> protocol.command(batchId, items, replyTo, more), settings.askTimeout()))
          .whenComplete((ack, failure) -> self.tell(new Answered(token, batchId, ack, failure)));
    }

    @SuppressWarnings("unchecked")
    private Behavior<Command> onAnswered(Answered a) {
      Lane<T, A> lane = lanes.get(a.token());
      if (lane == null || lane.batch == null || lane.batchId != a.batchId()) return this; // a late answer to a dropped batch
      if (a.failure() != null) {
        long now = System.nanoTime();
        metrics.onRetry();
        // Sent again without counting: an entity that is away holds back no other instrument.
        uncount(lane);
        sendReady();
        if (lane.awaySince == 0) {
          lane.awaySince = now;
          lane.lastAwayLog = now;
          metrics.away(+1);
          // A moment away is routine (an entity starting, a shard moving): told at debug; a long one at warn, every 10 s.
          log.debug("the entity of instrument {} did not answer ({}); its {} are held and sent again until it does", lane.token,
              a.failure().toString(), protocol.what());
        } else if (now - lane.lastAwayLog > 5_000_000_000L) {
          lane.lastAwayLog = now;
          log.warn("the entity of instrument {} has not answered for {} s; {} {} held and sent again until it does (other instruments go on)",
              lane.token, (now - lane.awaySince) / 1_000_000_000L, lane.held(), protocol.what());
        }
        long backoff = Math.min(settings.maxBackoff().toNanos(), settings.minBackoff().toNanos() << Math.min(lane.attempts - 1, 16));
        timers.startSingleTimer(new Retry(lane.token, lane.batchId), Duration.ofNanos(backoff));
        return this;
      }
      if (lane.awaySince != 0) {
        long awayMs = (System.nanoTime() - lane.awaySince) / 1_000_000L;
        if (awayMs >= 5_000) {
          log.info("the entity of instrument {} answers again after {} ms; {} {} were held meanwhile", lane.token, awayMs, lane.held(),
              protocol.what());
        }
        lane.awaySince = 0;
        metrics.away(-1);
      }
      A ack = (A) a.ack();
      int from = 0;
      long released = 0;
      for (Submission<T, A> s : lane.inFlight) {
        int n = s.items().size();
        int kept;
        try {
          kept = s.receipt().answered(ack, from, n);
        } catch (RuntimeException e) {
          log.error("an ingest receipt failed", e);
          kept = 0;
        }
        released += n - Math.max(0, Math.min(n, kept));
        from += n;
      }
      held -= released;
      uncount(lane);
      lane.inFlight = null;
      lane.batch = null;
      next(lane);
      sendReady();
      admit();
      return this;
    }

    private Behavior<Command> onRetry(Retry r) {
      Lane<T, A> lane = lanes.get(r.token());
      if (lane == null || lane.batch == null || lane.batchId != r.batchId()) return this;
      ask(lane);
      return this;
    }

    /** Drops batches whose entity has not answered for max-hold, with what waits behind them; refreshes the gauges. */
    private Behavior<Command> onSweep() {
      long now = System.nanoTime();
      long oldest = 0;
      for (Iterator<Lane<T, A>> it = lanes.values().iterator(); it.hasNext(); ) {
        Lane<T, A> lane = it.next();
        if (lane.batch == null) continue;
        long age = now - lane.sentAt;
        if (age < settings.maxHold().toNanos()) {
          oldest = Math.max(oldest, age);
          continue;
        }
        String reason = "the entity of instrument " + lane.token + " has not answered for " + settings.maxHold().toSeconds()
            + " s (tickloom.cluster.ingest.max-hold)";
        uncount(lane);
        for (Submission<T, A> s : lane.inFlight) drop(lane, s, reason);
        while (!lane.waiting.isEmpty()) drop(lane, lane.waiting.poll(), reason);
        lane.waitingItems = 0;
        lane.inFlight = null;
        lane.batch = null;
        if (lane.awaySince != 0) metrics.away(-1);
        it.remove();
      }
      metrics.oldest(oldest / 1_000_000L);
      sendReady();
      admit();
      return this;
    }

    private void drop(Lane<T, A> lane, Submission<T, A> s, String reason) {
      int n = s.items().size();
      held -= n;
      metrics.onOverflow(n);
      long now = System.nanoTime();
      if (now - lastOverflowLog > 1_000_000_000L) {
        lastOverflowLog = now;
        log.error("DROPPED {} {} of instrument {}: {} (counted in tickloom_ingest_overflow_total; further drops this second are only counted)",
            n, protocol.what(), lane.token, reason);
      }
      try {
        s.receipt().dropped(reason);
      } catch (RuntimeException e) {
        log.error("an ingest receipt failed", e);
      }
    }
  }
}
