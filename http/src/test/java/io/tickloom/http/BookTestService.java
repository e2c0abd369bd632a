package io.tickloom.http;

import io.tickloom.cluster.IngestPipeline;
import io.tickloom.cluster.InstrumentEntity.BookView;
import io.tickloom.cluster.book.BookService;
import io.tickloom.protocol.book.BookSnapshot;
import io.tickloom.protocol.book.DepthMessage;
import io.tickloom.protocol.book.L2Book;
import io.tickloom.protocol.Side;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link BookService} for HTTP tests without instrument entities: current books set by the test, nothing stored. */
final class BookTestService implements BookService {
  private final ConcurrentHashMap<Long, BookView> current = new ConcurrentHashMap<>();

  void set(BookView view) {
    current.put(view.token(), view);
  }

  /** A book of {@code levels} levels per side, one tick ({@code tick}) apart around {@code bid}/{@code bid + tick}. */
  static BookSnapshot book(long bid, long tick, int levels, long baseSize) {
    L2Book b = new L2Book();
    for (int i = 0; i < levels; i++) {
      b.set(Side.BUY, bid - i * tick, baseSize + i);
      b.set(Side.SELL, bid + tick + i * tick, baseSize + 2L * i);
    }
    return b.snapshot(levels);
  }

  @Override
  public CompletionStage<BookView> current(long token, int levels) {
    BookView v = current.get(token);
    return CompletableFuture.completedFuture(v != null ? v : new BookView(token, Long.MIN_VALUE, "NONE", false, 0, 0, null));
  }

  @Override
  public CompletionStage<Optional<BookView>> at(long token, long at, int levels) {
    return CompletableFuture.completedFuture(Optional.empty());
  }

  @Override
  public CompletionStage<IngestPipeline.DepthResult> ingest(List<DepthMessage> batch) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("no entities in this test"));
  }
}
