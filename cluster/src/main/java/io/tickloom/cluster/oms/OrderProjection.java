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

  /** Folds {@code envelopes} (journal order) over the rows they touch and writes the changes on {@code c}. */
  static void write(Connection c, List<EventEnvelope<OrderEvent>> envelopes) throws java.sql.SQLException {
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
