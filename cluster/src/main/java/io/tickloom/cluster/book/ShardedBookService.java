package io.tickloom.cluster.book;

import io.tickloom.cluster.Futures;
import io.tickloom.cluster.IngestPipeline;
import io.tickloom.protocol.book.DepthMessage;
import java.util.List;
import io.tickloom.cluster.InstrumentEntity;
import io.tickloom.cluster.InstrumentEntity.BookView;
import io.tickloom.persistence.BookStore;
import io.tickloom.protocol.book.LiveBook;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/** {@link BookService} over the sharded instrument entities (live) and the {@link BookStore} book log (past). */
public final class ShardedBookService implements BookService {
  private final ClusterSharding sharding;
  private final BookStore log;
  private final Executor blocking;
  private final Duration askTimeout;
  private final IngestPipeline pipeline;

  public ShardedBookService(ActorSystem<?> system, BookStore log, Executor blocking, Duration askTimeout, IngestPipeline pipeline) {
    this.pipeline = pipeline;
    this.sharding = ClusterSharding.get(system);
    this.log = log;
    this.blocking = blocking;
    this.askTimeout = askTimeout;
  }

  @Override
  public CompletionStage<BookView> current(long token, int levels) {
    return Futures.plain(sharding.entityRefFor(InstrumentEntity.TYPE_KEY, InstrumentEntity.entityId(token))
        .<BookView>ask(replyTo -> new InstrumentEntity.GetBook(levels, replyTo), askTimeout));
  }

  @Override
  public CompletionStage<Optional<BookView>> at(long token, long at, int levels) {
    return CompletableFuture.supplyAsync(() -> log.bookAt(token, at).map(b -> view(token, b, levels)), blocking);
  }

  @Override
  public CompletionStage<IngestPipeline.DepthResult> ingest(List<DepthMessage> batch) {
    return pipeline.processDepth(batch);
  }

  /** The view of a rebuilt book ({@code messages}: those applied after its stored state). */
  static BookView view(long token, LiveBook b, int levels) {
    return new BookView(token, b.clock(), b.kind().name(), b.stale(), b.messages(), b.integrityEvents(), b.snapshot(levels));
  }
}
