package io.tickloom.cluster;

import io.tickloom.persistence.BarStore;
import io.tickloom.persistence.BookStore;
import io.tickloom.persistence.GapStore;
import io.tickloom.persistence.IndicatorQueries.IndicatorRow;
import io.tickloom.persistence.IndicatorStore;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Gap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.BehaviorBuilder;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Node-local writer of the low-rate derived data: final and revised bars, gap records, confirmed indicator values,
 * warm-start snapshots, and the order-book log (depth messages and book states, see {@link BookStore}). Entities tell it what
 * to store; it gathers everything that arrives while one write is in flight into the next batch, and writes
 * on the blocking executor (never on the actor's thread). A failed write is kept and retried with backoff,
 * so nothing acknowledged by an entity is dropped while the database is briefly away. Within a batch, bars are
 * written before indicator values and snapshots: a stored snapshot never refers to a bar that is not stored.
 */
public final class StoreWriter {
  private StoreWriter() {}

  public sealed interface Command {}

  /**
   * What to store. {@code indicators} are values of bars stored for the first time; {@code replacing} may replace
   * stored values (recomputed after a revision) and are written after them.
   */
  public record Write(List<Bar> bars, List<Gap> gaps, List<IndicatorRow> indicators, List<IndicatorRow> replacing,
      List<Snapshot> snapshots) implements Command {
    public Write(List<Bar> bars, List<Gap> gaps) {
      this(bars, gaps, List.of(), List.of(), List.of());
    }
  }

  /** Book log entries of one or more instruments, in the order each instrument applied them. */
  public record WriteBook(List<BookStore.Entry> entries) implements Command {}

  /** An instrument entity's warm-start snapshot (see {@link InstrumentCore#snapshot}). */
  public record Snapshot(long token, long takenAt, byte[] payload) {}

  /** Replies once everything received before it is stored (tests, clean shutdown). */
  public record Flush(ActorRef<Done> replyTo) implements Command {}

  public enum Done implements io.tickloom.protocol.CborSerializable { INSTANCE }

  private record WriteFinished(Throwable failure) implements Command {}

  private enum Retry implements Command { INSTANCE }

  public static Behavior<Command> create(BarStore bars, GapStore gaps, IndicatorStore indicators, Executor blocking) {
    return create(bars, gaps, indicators, blocking, () -> MarketOutbound.NONE);
  }

  /** @param outbound asked after every successful write for where the stored bars go next */
  public static Behavior<Command> create(BarStore bars, GapStore gaps, IndicatorStore indicators, Executor blocking,
      java.util.function.Supplier<MarketOutbound> outbound) {
    return create(bars, gaps, indicators, null, blocking, outbound);
  }

  /** @param books the book log, or null to drop {@link WriteBook}s */
  public static Behavior<Command> create(BarStore bars, GapStore gaps, IndicatorStore indicators, BookStore books, Executor blocking,
      java.util.function.Supplier<MarketOutbound> outbound) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new StoreWriter.Impl(ctx, timers, bars, gaps, indicators, books, blocking,
        outbound).idle()));
  }

  private static final class Impl {
    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final BarStore barStore;
    private final GapStore gapStore;
    private final IndicatorStore indicatorStore;
    private final BookStore bookStore;
    private final Executor blocking;
    private List<Bar> pendingBars = new ArrayList<>();
    private List<Gap> pendingGaps = new ArrayList<>();
    private List<IndicatorRow> pendingRows = new ArrayList<>();
    private List<IndicatorRow> pendingReplacing = new ArrayList<>();
    private List<Snapshot> pendingSnapshots = new ArrayList<>();
    private List<BookStore.Entry> pendingBook = new ArrayList<>();
    private List<Bar> inFlightBars = List.of();
    private List<Gap> inFlightGaps = List.of();
    private List<IndicatorRow> inFlightRows = List.of();
    private List<IndicatorRow> inFlightReplacing = List.of();
    private List<Snapshot> inFlightSnapshots = List.of();
    private List<BookStore.Entry> inFlightBook = List.of();
    private final List<ActorRef<Done>> flushWaiters = new ArrayList<>();
    private final List<ActorRef<Done>> flushAfterInFlight = new ArrayList<>();
    private int failures;
    private final java.util.function.Supplier<MarketOutbound> outbound;

    Impl(ActorContext<Command> ctx, TimerScheduler<Command> timers, BarStore barStore, GapStore gapStore,
        IndicatorStore indicatorStore, BookStore bookStore, Executor blocking, java.util.function.Supplier<MarketOutbound> outbound) {
      this.indicatorStore = indicatorStore;
      this.bookStore = bookStore;
      this.ctx = ctx;
      this.outbound = outbound;
      this.timers = timers;
      this.barStore = barStore;
      this.gapStore = gapStore;
      this.blocking = blocking;
    }

    Behavior<Command> idle() {
      return Behaviors.receive(Command.class)
          .onMessage(Write.class, w -> {
            add(w);
            return startWrite();
          })
          .onMessage(WriteBook.class, w -> {
            addBook(w);
            return startWrite();
          })
          .onMessage(Flush.class, f -> {
            flushWaiters.add(f.replyTo());
            return startWrite();
          })
          .build();
    }

    /** While a write is in flight or backing off: gather what arrives for the next write. */
    private BehaviorBuilder<Command> gathering() {
      return Behaviors.receive(Command.class)
          .onMessage(Write.class, w -> {
            add(w);
            return Behaviors.same();
          })
          .onMessage(WriteBook.class, w -> {
            addBook(w);
            return Behaviors.same();
          })
          .onMessage(Flush.class, f -> {
            flushWaiters.add(f.replyTo());
            return Behaviors.same();
          });
    }

    Behavior<Command> writing() {
      return gathering().onMessage(WriteFinished.class, this::onFinished).build();
    }

    /** After a failed write: write again only when the backoff timer fires. */
    Behavior<Command> backingOff() {
      return gathering().onMessage(Retry.class, r -> startWrite()).build();
    }

    private void add(Write w) {
      pendingBars.addAll(w.bars());
      pendingGaps.addAll(w.gaps());
      pendingRows.addAll(w.indicators());
      pendingReplacing.addAll(w.replacing());
      pendingSnapshots.addAll(w.snapshots());
    }

    private void addBook(WriteBook w) {
      if (bookStore != null) pendingBook.addAll(w.entries());
    }

    private Behavior<Command> startWrite() {
      if (pendingBars.isEmpty() && pendingGaps.isEmpty() && pendingRows.isEmpty() && pendingReplacing.isEmpty()
          && pendingSnapshots.isEmpty() && pendingBook.isEmpty()) {
        flushWaiters.forEach(r -> r.tell(Done.INSTANCE));
        flushWaiters.clear();
        return idle();
      }
      inFlightBars = pendingBars;
      inFlightGaps = pendingGaps;
      inFlightRows = pendingRows;
      inFlightReplacing = pendingReplacing;
      inFlightSnapshots = pendingSnapshots;
      inFlightBook = pendingBook;
      pendingBook = new ArrayList<>();
      pendingBars = new ArrayList<>();
      pendingGaps = new ArrayList<>();
      pendingRows = new ArrayList<>();
      pendingReplacing = new ArrayList<>();
      pendingSnapshots = new ArrayList<>();
      flushAfterInFlight.addAll(flushWaiters);
      flushWaiters.clear();
      List<Bar> b = inFlightBars;
      List<Gap> g = inFlightGaps;
      List<IndicatorRow> r = inFlightRows;
      List<IndicatorRow> rr = inFlightReplacing;
      List<Snapshot> s = inFlightSnapshots;
      List<BookStore.Entry> book = inFlightBook;
      ctx.pipeToSelf(CompletableFuture.runAsync(() -> {
        if (!b.isEmpty()) barStore.write(b);
        if (!g.isEmpty()) gapStore.upsert(g);
        if (!r.isEmpty() || !rr.isEmpty()) indicatorStore.write(r, rr);
        for (Snapshot snap : s) indicatorStore.saveSnapshot(snap.token(), snap.takenAt(), snap.payload());
        // Last: everything before is idempotent when a failed batch is written again, the log append is not.
        if (!book.isEmpty()) bookStore.append(book);
        if (!b.isEmpty()) outbound.get().barsStored(b);
      }, blocking), (ok, err) -> new WriteFinished(err));
      return writing();
    }

    private Behavior<Command> onFinished(WriteFinished f) {
      if (f.failure() != null) {
        failures++;
        ctx.getLog().error("storing {} bars and {} gaps failed (attempt {}), retrying: {}", inFlightBars.size(), inFlightGaps.size(), failures, f.failure().toString());
        inFlightBars.addAll(pendingBars);
        inFlightGaps.addAll(pendingGaps);
        inFlightRows.addAll(pendingRows);
        inFlightReplacing.addAll(pendingReplacing);
        inFlightSnapshots.addAll(pendingSnapshots);
        inFlightBook.addAll(pendingBook);
        pendingBook = new ArrayList<>(inFlightBook);
        pendingBars = new ArrayList<>(inFlightBars);
        pendingGaps = new ArrayList<>(inFlightGaps);
        pendingRows = new ArrayList<>(inFlightRows);
        pendingReplacing = new ArrayList<>(inFlightReplacing);
        pendingSnapshots = new ArrayList<>(inFlightSnapshots);
        flushWaiters.addAll(0, flushAfterInFlight);
        flushAfterInFlight.clear();
        timers.startSingleTimer(Retry.INSTANCE, Duration.ofMillis(Math.min(5000, 100L << Math.min(failures, 6))));
        return backingOff();
      }
      failures = 0;
      flushAfterInFlight.forEach(r -> r.tell(Done.INSTANCE));
      flushAfterInFlight.clear();
      return startWrite();
    }
  }
}
