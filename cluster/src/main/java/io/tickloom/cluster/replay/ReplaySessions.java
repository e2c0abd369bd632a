package io.tickloom.cluster.replay;

import io.tickloom.cluster.ClusterSettings;
import io.tickloom.cluster.InstrumentDirectory;
import io.tickloom.persistence.TickQueries;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timeframe;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.BroadcastHub;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.MergeHub;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replay sessions of one node (SPEC §5). A session re-streams the stored ticks of its instruments over its period
 * in global exchange-time order ({@link ReplaySource}: keyset pages per instrument, k-way merged) through a
 * {@link ReplayEngine} — the live entity's kernels (dedupe, sequencing, bars, indicators) in instances of its own —
 * and hands the output to its subscribers.
 *
 * <p><b>Isolation.</b> A session's instrument state lives only in its engine: no sharded entity is addressed, nothing
 * is written (ticks are only read), no live topic is published to. Sessions are independent of each other.
 *
 * <p><b>Shape of a session.</b> A run (one per start or seek) is the stream
 * {@code merged pages -> admit (pause gate, pacing) -> engine -> final bars at the end -> End} into the session's bus
 * ({@code MergeHub -> BroadcastHub}); subscribers are consumers of the BroadcastHub, which emits once the first one has
 * attached (so nothing is lost to a client subscribing a moment after creating the session) and then goes at the pace
 * of the slowest. A seek kills the run and starts another; the bus drops what the killed run still had in flight.
 * Memory per session: two tick pages per instrument, a few batches in flight, {@code hubBuffer} output batches.
 *
 * <p><b>Order events.</b> A request naming an account (and a node {@link #withOrderEvents with an order journal})
 * also streams that account's journaled order events of the period: read when a run starts (at most
 * {@link #MAX_ORDER_EVENTS}), interleaved with the merged ticks by time ({@link OrderInterleave}: ticks of the same
 * timestamp first), paced like ticks, delivered as {@link ReplayOutput.Orders}.
 */
public final class ReplaySessions implements ReplayService {
  private static final Logger log = LoggerFactory.getLogger(ReplaySessions.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ActorSystem<?> system;
  private final TickQueries ticks;
  private final InstrumentDirectory instruments;
  private final ClusterSettings cluster;
  private final Executor blocking;
  private final ReplaySettings settings;
  private final ReplayPublisher publisher;
  private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
  /** Where sessions with an account read its order events; null: none (such a request is refused). */
  private volatile ReplayOrderEvents orderEvents;

  /**
   * Most order events of one account a run interleaves: they are read into memory at the run's start (the journal's
   * order is not time order across orders, so they are sorted), and a run with more fails with the reason.
   */
  static final int MAX_ORDER_EVENTS = 200_000;

  /**
   * @param ticks the tick store, read on {@code blocking} only
   * @param cluster the live pipeline's settings: the replay builds the same timeframes and indicators with them
   */
  public ReplaySessions(ActorSystem<?> system, TickQueries ticks, InstrumentDirectory instruments, ClusterSettings cluster,
      Executor blocking, ReplaySettings settings) {
    this(system, ticks, instruments, cluster, blocking, settings, null);
  }

  /** With {@code publisher} (null: none) for the sessions that ask to publish their ticks ({@link ReplayRequest#kafka()}). */
  public ReplaySessions(ActorSystem<?> system, TickQueries ticks, InstrumentDirectory instruments, ClusterSettings cluster,
      Executor blocking, ReplaySettings settings, ReplayPublisher publisher) {
    this.publisher = publisher;
    this.system = system;
    this.ticks = ticks;
    this.instruments = instruments;
    this.cluster = cluster;
    this.blocking = blocking;
    this.settings = settings;
  }

  /**
   * Lets sessions interleave an account's journaled order events ({@link ReplayRequest#account()}) read from
   * {@code source}. Returns this.
   */
  public ReplaySessions withOrderEvents(ReplayOrderEvents source) {
    this.orderEvents = source;
    return this;
  }

  @Override
  public ReplayStatus start(ReplayRequest r) {
    if (r.tokens().isEmpty()) throw new InvalidReplay("tokens", "at least one instrument token");
    Set<Long> distinct = new HashSet<>(r.tokens());
    if (distinct.size() != r.tokens().size()) throw new InvalidReplay("tokens", "a token is given twice");
    if (distinct.size() > settings.maxTokens()) throw new InvalidReplay("tokens", "at most " + settings.maxTokens() + " instruments per replay");
    for (long t : r.tokens()) {
      if (instruments.find(t).isEmpty()) throw new InvalidReplay("tokens", "unknown instrument " + t);
    }
    if (r.from() >= r.to()) throw new InvalidReplay("to", "must be after from");
    if (!(r.speed() > 0)) throw new InvalidReplay("speed", "must be a positive number or \"max\"");
    if (r.kafka() && publisher == null) throw new InvalidReplay("kafka", "this node publishes to no Kafka (TICKLOOM_KAFKA_BOOTSTRAP is not set)");
    if (r.account() != null) {
      if (!io.tickloom.cluster.oms.OrderId.validAccount(r.account())) throw new InvalidReplay("account", "must match [A-Za-z0-9_-]{1,64}");
      if (orderEvents == null) throw new InvalidReplay("account", "this node reads no order journal; replay without an account");
    }
    if (r.timeframes().isEmpty()) throw new InvalidReplay("tf", "at least one timeframe");
    for (Timeframe tf : r.timeframes()) {
      if (!cluster.timeframes().contains(tf)) {
        throw new InvalidReplay("tf", "timeframe " + tf.label() + " is not built on this node (" + cluster.timeframes().stream().map(Timeframe::label).toList() + ")");
      }
    }
    synchronized (sessions) {
      long active = sessions.values().stream().filter(s -> !s.state().terminal()).count();
      if (active >= settings.maxSessions()) {
        throw new TooManyReplays("this node already runs " + active + " replays (tickloom.cluster.replay.max-sessions); cancel one or wait");
      }
      String id;
      do {
        id = "rp-" + Long.toString(RANDOM.nextLong() >>> 1, 36);
      } while (sessions.containsKey(id));
      Session s = new Session(id, r);
      sessions.put(id, s);
      s.expireUnwatched();
      return s.status();
    }
  }

  @Override
  public Optional<ReplayStatus> status(String id) {
    return find(id).map(Session::status);
  }

  @Override
  public List<ReplayStatus> list() {
    List<ReplayStatus> all = new ArrayList<>();
    for (Session s : sessions.values()) all.add(s.status());
    all.sort(Comparator.comparingLong(ReplayStatus::createdAt).reversed());
    return all;
  }

  @Override
  public Optional<ReplayStatus> pause(String id) {
    return find(id).map(Session::pause);
  }

  @Override
  public Optional<ReplayStatus> resume(String id) {
    return find(id).map(Session::resume);
  }

  @Override
  public Optional<ReplayStatus> seek(String id, long ts) {
    return find(id).map(s -> s.seek(ts));
  }

  @Override
  public Optional<ReplayStatus> cancel(String id) {
    return find(id).map(Session::cancel);
  }

  @Override
  public Optional<Source<ReplayOutput, NotUsed>> subscribe(String id) {
    return find(id).map(Session::subscribe);
  }

  private Optional<Session> find(String id) {
    return id == null ? Optional.empty() : Optional.ofNullable(sessions.get(id));
  }

  /** One session: its state machine (guarded by {@code this}), its bus and its current run. */
  private final class Session {
    final String id;
    final ReplayRequest request;
    final long[] tokens;
    final long createdAt = System.currentTimeMillis() * 1_000_000L;
    final Pacer pacer;
    final Sink<ReplayOutput, NotUsed> busIn;
    final Source<ReplayOutput, NotUsed> busOut;
    final UniqueKillSwitch busSwitch;
    ReplayStatus.State state;
    /** Open while producing; an incomplete future while waiting or paused. */
    CompletableFuture<Void> gate = new CompletableFuture<>();
    volatile int run;
    UniqueKillSwitch runSwitch;
    volatile long position;
    volatile long ticksSent;
    volatile long barsSent;
    long activeNanos;
    long runningSince = -1;
    String error;
    /** Subscribers attached now; a session left without any for {@code idleTimeout} is cancelled. */
    int subscribers;

    Session(String id, ReplayRequest request) {
      this.id = id;
      this.request = request;
      this.tokens = request.tokens().stream().mapToLong(Long::longValue).sorted().toArray();
      this.pacer = new Pacer(request.speed());
      this.state = request.paused() ? ReplayStatus.State.PAUSED : ReplayStatus.State.WAITING;
      this.position = request.from();
      Pair<Pair<Sink<ReplayOutput, NotUsed>, UniqueKillSwitch>, Source<ReplayOutput, NotUsed>> bus = MergeHub.of(ReplayOutput.class, 16)
          .viaMat(KillSwitches.single(), Keep.both())
          .filter(o -> o.run() == run)
          .takeWhile(o -> !(o instanceof ReplayOutput.End), true)
          .toMat(BroadcastHub.of(ReplayOutput.class, 1, Integer.highestOneBit(Math.max(2, settings.hubBuffer()))), Keep.both())
          .run(system);
      this.busIn = bus.first().first();
      this.busSwitch = bus.first().second();
      this.busOut = bus.second();
      startRun(request.from());
    }

    /** Starts run {@link #run} from {@code from}; called with the monitor held or from the constructor. */
    private void startRun(long from) {
      int r = run;
      ReplayEngine engine = new ReplayEngine(request.tokens(), t -> instruments.find(t).orElse(null), cluster, request.timeframes());
      int pageSize = settings.pageSizeFor(tokens.length);
      Source<List<Tick>, NotUsed> merged = ReplaySource.merged(tokens, from, request.to(), ticks, blocking, pageSize, settings.batchSize(),
          pacer.window());
      Source<OrderInterleave.Segment, NotUsed> segments;
      ReplayOrderEvents source = orderEvents;
      if (request.account() == null || source == null) {
        segments = merged.map(OrderInterleave.Ticks::new);
      } else {
        // The account's order events of [from, to), read when the run starts, interleaved by time (OrderInterleave).
        segments = Source.lazyCompletionStageSource(() -> source.events(request.account(), from, request.to()).thenApply(events -> {
          if (events.size() > MAX_ORDER_EVENTS) {
            throw new IllegalStateException("account " + request.account() + " has " + events.size() + " order events in the period; a replay "
                + "interleaves at most " + MAX_ORDER_EVENTS + ": replay a shorter period");
          }
          OrderInterleave interleave = new OrderInterleave(events, from, request.to());
          return merged.mapConcat(interleave::split).concatLazy(Source.lazySource(() -> Source.from(interleave.rest())));
        })).mapMaterializedValue(m -> NotUsed.getInstance());
      }
      Source<ReplayOutput, NotUsed> produced = segments
          .mapAsync(1, this::admit)
          .async()
          .mapAsync(1, segment -> {
            if (segment instanceof OrderInterleave.Orders o) return CompletableFuture.completedFuture((ReplayOutput) new ReplayOutput.Orders(r, o.events()));
            List<Tick> batch = ((OrderInterleave.Ticks) segment).ticks();
            ReplayOutput.Batch b = engine.process(r, batch);
            onBatch(r, b, batch.get(batch.size() - 1).exchangeTs());
            if (!request.kafka()) return CompletableFuture.completedFuture((ReplayOutput) b);
            return publisher.publish(id, b.ticks()).thenApply(v -> (ReplayOutput) b);
          })
          .concatLazy(Source.lazySingle(() -> {
            ReplayOutput.Batch last = engine.finish(r, request.to());
            onBatch(r, last, Long.MIN_VALUE);
            return (ReplayOutput) last;
          }))
          .concatLazy(Source.lazySingle(() -> (ReplayOutput) new ReplayOutput.End(r, ended(r, ReplayStatus.State.ENDED, null))))
          .recover(new PFBuilder<Throwable, ReplayOutput>().matchAny(e -> {
            log.warn("replay {} failed: {}", id, e.toString());
            return new ReplayOutput.End(r, ended(r, ReplayStatus.State.FAILED, e.toString()));
          }).build());
      runSwitch = produced.viaMat(KillSwitches.single(), Keep.right()).to(busIn).run(system);
    }

    private CompletionStage<OrderInterleave.Segment> admit(OrderInterleave.Segment segment) {
      CompletableFuture<Void> g;
      synchronized (this) {
        g = gate;
      }
      return g.thenCompose(v -> {
        long delay = pacer.delay(segment.firstTs(), System.nanoTime());
        if (delay <= 0) return CompletableFuture.completedFuture(segment);
        return CompletableFuture.supplyAsync(() -> segment, CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS, blocking));
      });
    }

    private void onBatch(int r, ReplayOutput.Batch b, long lastTs) {
      if (r != run) return;
      ticksSent += b.ticks().size();
      barsSent += b.bars().size();
      if (lastTs != Long.MIN_VALUE) position = lastTs;
    }

    /** The run's natural end (or failure): the status its End carries. */
    private synchronized ReplayStatus ended(int r, ReplayStatus.State how, String why) {
      if (r == run && !state.terminal()) {
        leaveRunning();
        state = how;
        error = why;
        if (how == ReplayStatus.State.ENDED) position = request.to();
        scheduleRemoval();
      }
      return status();
    }

    private void scheduleRemoval() {
      system.scheduler().scheduleOnce(settings.retain(), () -> {
        sessions.remove(id, this);
        busSwitch.shutdown();
      }, system.executionContext());
    }

    synchronized ReplayStatus.State state() {
      return state;
    }

    synchronized ReplayStatus status() {
      long active = activeNanos + (runningSince >= 0 ? System.nanoTime() - runningSince : 0);
      double rate = active <= 0 ? 0 : ticksSent * 1e9 / active;
      return new ReplayStatus(id, state, request.tokens(), request.from(), request.to(), request.speed(), request.timeframes(), position,
          ticksSent, barsSent, rate, createdAt, error, request.owner());
    }

    private void enterRunning() {
      state = ReplayStatus.State.RUNNING;
      runningSince = System.nanoTime();
      pacer.resume(runningSince);
      gate.complete(null);
    }

    private void leaveRunning() {
      if (runningSince >= 0) {
        activeNanos += System.nanoTime() - runningSince;
        runningSince = -1;
      }
    }

    synchronized void attached() {
      subscribers++;
      if (state == ReplayStatus.State.WAITING) enterRunning();
    }

    synchronized void detached() {
      subscribers--;
      if (subscribers == 0 && !state.terminal()) expireUnwatched();
    }

    /** In {@code idleTimeout}, cancels this session unless someone subscribes meanwhile (it would stall on its hub). */
    void expireUnwatched() {
      system.scheduler().scheduleOnce(settings.idleTimeout(), this::cancelIfUnwatched, system.executionContext());
    }

    synchronized ReplayStatus pause() {
      if (state.terminal()) throw new Conflict("replay " + id + " has " + state.name().toLowerCase() + "; it cannot be paused");
      if (state == ReplayStatus.State.RUNNING) {
        leaveRunning();
        pacer.pause(System.nanoTime());
        gate = new CompletableFuture<>();
      }
      state = ReplayStatus.State.PAUSED;
      return status();
    }

    synchronized ReplayStatus resume() {
      if (state.terminal()) throw new Conflict("replay " + id + " has " + state.name().toLowerCase() + "; it cannot be resumed");
      if (state != ReplayStatus.State.RUNNING) enterRunning();
      return status();
    }

    synchronized ReplayStatus seek(long ts) {
      if (state.terminal()) throw new Conflict("replay " + id + " has " + state.name().toLowerCase() + "; start a new one");
      if (ts < request.from() || ts >= request.to()) throw new InvalidReplay("ts", "must lie in the replay's period [from, to)");
      runSwitch.shutdown();
      run++;
      pacer.reset();
      position = ts;
      startRun(ts);
      return status();
    }

    synchronized ReplayStatus cancel() {
      if (state.terminal()) return status();
      runSwitch.shutdown();
      leaveRunning();
      state = ReplayStatus.State.CANCELLED;
      scheduleRemoval();
      ReplayStatus st = status();
      Source.single((ReplayOutput) new ReplayOutput.End(run, st)).runWith(busIn, system);
      return st;
    }

    synchronized void cancelIfUnwatched() {
      if (subscribers == 0 && !state.terminal()) {
        log.info("replay {} had no subscriber for {}: cancelled", id, settings.idleTimeout());
        cancel();
      }
    }

    Source<ReplayOutput, NotUsed> subscribe() {
      return busOut.mapMaterializedValue(m -> {
        attached();
        return m;
      }).watchTermination((m, done) -> {
        done.whenComplete((d, e) -> detached());
        return m;
      });
    }
  }
}
