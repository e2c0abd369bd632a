package io.tickloom.cluster.oms;

import com.typesafe.config.Config;
import io.tickloom.persistence.FillRow;
import io.tickloom.persistence.OrderReadStore;
import io.tickloom.persistence.OrderReadStore.PositionKey;
import io.tickloom.persistence.Position;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardedDaemonProcessSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.ProjectionBehavior;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.eventsourced.javadsl.EventSourcedProvider;
import org.apache.pekko.projection.javadsl.GroupedProjection;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OMS read side: one Pekko Projection (JDBC, 1.0.0) per tag slice {@code order-N} of {@link OrderEntity}, fed by
 * {@code eventsByTag} of the JDBC read journal and writing {@code orders}, {@code fills} and {@code positions} (V4)
 * on the node's own {@link DataSource} through {@link OrderJdbcSession}.
 *
 * <p><b>Exactly once.</b> {@link JdbcProjection#groupedWithin}: a group of envelopes (up to
 * {@code tickloom.oms.projection.group-after-envelopes}, or what arrived within {@code group-after-duration}) is
 * applied by {@link Handler} and its offset stored in the same transaction of the same session; a crash before the
 * commit leaves neither, and the group is processed again from the stored offset. Grouping rather than
 * {@code exactlyOnce} (one transaction per event) keeps the write cost per order at a few rows per batch. Inside, each
 * order's {@code last_seq} guards once more ({@link OrderReadModel.Batch}).
 *
 * <p><b>Poison never blocks.</b> A group that fails for a reason of its data (a value PostgreSQL refuses, an amount
 * out of range, an event out of order) is applied again event by event, each behind a savepoint; an event that still
 * fails is recorded in {@code dead_letters} ({@link DeadLetterStore}: persistence id, sequence number, type, error), in
 * the same transaction as the offset, counted ({@link #deadLetters}) and logged, and the projection goes on. An operator
 * lists and retries them ({@link #retry}; {@code GET/POST /api/v1/admin/dead-letters}). A failure of the database
 * itself (connection lost, shutting down) is not poison: it fails the group, which the projection retries.
 *
 * <p><b>Placement.</b> The {@value OrderEntity#TAG_SLICES} projections run as a {@link ShardedDaemonProcess}
 * ({@code order-projection}): each slice on exactly one node of the cluster, moved when that node leaves. One
 * account's orders share a tag, so its positions are folded in journal order by a single writer.
 */
public final class OrderProjection {
  private static final Logger log = LoggerFactory.getLogger(OrderProjection.class);
  /** Projection name in the offset store; the key is the tag. */
  public static final String NAME = "orders";

  private OrderProjection() {}

  /** {@code tickloom.oms.projection}. */
  public record Settings(int groupAfterEnvelopes, Duration groupAfterDuration) {
    public static Settings fromConfig(Config config) {
      Config c = config.getConfig("tickloom.oms.projection");
      return new Settings(c.getInt("group-after-envelopes"), c.getDuration("group-after-duration"));
    }
  }

  /** Starts the projections of every tag slice on this cluster (call once per node; the daemon process places them). */
  public static void init(ActorSystem<?> system, DataSource ds) {
    Settings settings = Settings.fromConfig(system.settings().config());
    ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, "order-projection", OrderEntity.TAG_SLICES,
        i -> ProjectionBehavior.create(projection(system, ds, "order-" + i, settings)), ShardedDaemonProcessSettings.create(system),
        Optional.of(ProjectionBehavior.stopMessage()));
  }

  /** The projection of one tag. */
  public static GroupedProjection<Offset, EventEnvelope<OrderEvent>> projection(ActorSystem<?> system, DataSource ds, String tag,
      Settings settings) {
    SourceProvider<Offset, EventEnvelope<OrderEvent>> source = EventSourcedProvider.eventsByTag(system, JdbcReadJournal.Identifier(), tag);
    return JdbcProjection.groupedWithin(ProjectionId.of(NAME, tag), source, () -> new OrderJdbcSession(ds), Handler::new, system)
        .withGroup(settings.groupAfterEnvelopes(), settings.groupAfterDuration());
  }

  /** Applies a group of envelopes to the read tables on the session's connection (in its transaction). */
  static final class Handler extends JdbcHandler<List<EventEnvelope<OrderEvent>>, OrderJdbcSession> {
    @Override
    public void process(OrderJdbcSession session, List<EventEnvelope<OrderEvent>> envelopes) throws Exception {
      session.withConnection(c -> {
        write(c, envelopes);
        return null;
      });
    }
  }

  /** The source name of this projection's dead letters. */
  public static final String DEAD_LETTER_SOURCE = "order-projection";
  private static final java.util.concurrent.atomic.AtomicLong DEAD_LETTERS = new java.util.concurrent.atomic.AtomicLong();

  /** Events this node's projections dead-lettered since it started. */
  public static long deadLetters() {
    return DEAD_LETTERS.get();
  }

  /**
   * Applies {@code envelopes}: all at once, or, when that fails for a reason of the data, one by one behind savepoints,
   * dead-lettering those that still fail (see the class doc). A database failure is thrown (the group is retried).
   */
  static void write(Connection c, List<EventEnvelope<OrderEvent>> envelopes) throws java.sql.SQLException {
    java.sql.Savepoint all = c.setSavepoint();
    try {
      writeGroup(c, envelopes);
      c.releaseSavepoint(all);
      return;
    } catch (Exception e) {
      if (transientFailure(e)) throw rethrow(e);
      c.rollback(all);
    }
    for (EventEnvelope<OrderEvent> env : envelopes) {
      java.sql.Savepoint one = c.setSavepoint();
      try {
        writeGroup(c, List.of(env));
        c.releaseSavepoint(one);
      } catch (Exception e) {
        if (transientFailure(e)) throw rethrow(e);
        c.rollback(one);
        String type = env.event() == null ? "?" : env.event().getClass().getSimpleName();
        log.error("order projection: event {} #{} of {} cannot be applied ({}); recorded in dead_letters and skipped", type, env.sequenceNr(),
            env.persistenceId(), e.toString());
        io.tickloom.persistence.DeadLetterStore.record(c, DEAD_LETTER_SOURCE, env.persistenceId(), env.sequenceNr(), type, e.toString(),
            System.currentTimeMillis() * 1_000_000L);
        DEAD_LETTERS.incrementAndGet();
      }
    }
  }

  /** A failure of the database rather than of the data: connection, resources, shutdown, serialization (SQLSTATE 08, 53, 57, 40). */
  static boolean transientFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLTransientException || t instanceof java.sql.SQLRecoverableException) return true;
      if (t instanceof java.sql.SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        return state.startsWith("08") || state.startsWith("53") || state.startsWith("57") || state.startsWith("40");
      }
    }
    return false;
  }

  private static java.sql.SQLException rethrow(Exception e) {
    return e instanceof java.sql.SQLException s ? s : new java.sql.SQLException(e);
  }

  /**
   * Retries the open dead letters of this projection, oldest first (so an order's events keep their order): each event is
   * read again from the journal and applied in a transaction of its own; one that applies is resolved, one that fails
   * again stays open with the new error. Answers how many were resolved. Blocking (journal read and JDBC): call it off the
   * actor threads.
   */
  public static int retry(ActorSystem<?> system, DataSource ds) throws Exception {
    io.tickloom.persistence.DeadLetterStore store = new io.tickloom.persistence.DeadLetterStore(ds);
    JdbcReadJournal journal = org.apache.pekko.persistence.query.PersistenceQuery.get(system.classicSystem())
        .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    int resolved = 0;
    for (io.tickloom.persistence.DeadLetterStore.DeadLetter d : store.list(true, 10_000)) {
      if (!d.source().equals(DEAD_LETTER_SOURCE)) continue;
      long now = System.currentTimeMillis() * 1_000_000L;
      try {
        List<org.apache.pekko.persistence.query.EventEnvelope> read = journal.currentEventsByPersistenceId(d.persistenceId(), d.seqNr(), d.seqNr())
            .runWith(org.apache.pekko.stream.javadsl.Sink.seq(), system).toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        if (read.isEmpty() || !(read.get(0).event() instanceof OrderEvent e)) throw new IllegalStateException("the event is not in the journal");
        org.apache.pekko.persistence.query.EventEnvelope env = read.get(0);
        try (Connection c = ds.getConnection()) {
          c.setAutoCommit(false);
          try {
            writeGroup(c, List.of(EventEnvelope.create(env.offset(), env.persistenceId(), env.sequenceNr(), e, env.timestamp())));
            c.commit();
          } catch (Exception failure) {
            c.rollback();
            throw failure;
          }
        }
        store.retried(d.id(), true, null, now);
        resolved++;
      } catch (Exception failure) {
        store.retried(d.id(), false, failure.toString(), now);
      }
    }
    return resolved;
  }

  /** Folds {@code envelopes} (journal order) over the rows they touch and writes the changes on {@code c}. */
  private static void writeGroup(Connection c, List<EventEnvelope<OrderEvent>> envelopes) throws java.sql.SQLException {
    Set<String> ids = new LinkedHashSet<>();
    for (EventEnvelope<OrderEvent> env : envelopes) ids.add(OrderReadModel.orderId(env.persistenceId()));
    OrderReadModel.Batch batch = new OrderReadModel.Batch(OrderReadStore.loadOrders(c, ids));
    for (EventEnvelope<OrderEvent> env : envelopes) {
      batch.apply(OrderReadModel.orderId(env.persistenceId()), env.sequenceNr(), env.event());
    }
    List<FillRow> fills = batch.fills();
    Map<PositionKey, Position> stored = OrderReadStore.loadPositions(c, batch.positionKeys());
    OrderReadStore.upsertOrders(c, batch.changedOrders());
    OrderReadStore.insertFills(c, fills);
    OrderReadStore.upsertPositions(c, batch.changedPositions(stored));
    if (batch.skipped() > 0) log.warn("order projection skipped {} events already applied", batch.skipped());
  }
}
