package io.tickloom.cluster.book;

import io.tickloom.cluster.IngestPipeline;
import io.tickloom.cluster.InstrumentEntity.BookView;
import io.tickloom.protocol.book.DepthMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The node's order books for the HTTP layer (SPEC §5 {@code /api/v1/book}): the live book owned by the instrument
 * entities and books reconstructed from stored snapshots + events.
 */
public interface BookService {
  /**
   * The live book of {@code token}, its top {@code levels} per side (asks the owning entity, wherever it runs; fails
   * with the ask's timeout when it cannot answer). {@link BookView#book()} is null when no depth arrived yet.
   */
  CompletionStage<BookView> current(long token, int levels);

  /**
   * The book of {@code token} as it was at {@code at} (epoch nanos), its top {@code levels} per side: the nearest
   * stored state at or before {@code at} plus the stored messages up to {@code at}, applied by the same code as the
   * live book (so it equals what the live book was once it had applied everything up to {@code at}). Empty when
   * nothing was stored at or before {@code at}. Runs on the blocking pool.
   */
  CompletionStage<Optional<BookView>> at(long token, long at, int levels);

  /**
   * One batch of depth messages (any instruments; in order within each) through the ingest path's depth stage to the
   * owning entities; answered once they are applied (their log entries are then with the node's writer). For
   * request/response feeds ({@code POST /api/v1/book/{token}/messages}, {@code tickloom import --format lobster}).
   */
  CompletionStage<IngestPipeline.DepthResult> ingest(List<DepthMessage> batch);
}
