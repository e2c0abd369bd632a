package io.tickloom.cluster.replay;

import io.tickloom.persistence.Page;
import io.tickloom.persistence.TickQueries;
import io.tickloom.protocol.Tick;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The stored ticks of several instruments over {@code [from, to)} as one stream of batches in global exchange-time
 * order: per instrument, keyset pages of the tick store ({@link TickQueries#page}, read on the blocking executor),
 * merged by a {@link TickMerge}.
 *
 * <p>Memory per source: at most two pages per instrument (the one being merged and the next, fetched ahead while the
 * merge consumes the first) plus the batch in hand. Nothing is read faster than downstream pulls: the source is an
 * {@code unfoldAsync}, so Pekko Streams backpressure bounds it end to end.
 */
final class ReplaySource {
  private ReplaySource() {}

  /**
   * @param tokens the instruments, sorted ascending (the merge's tie order)
   * @param pageSize rows per page and instrument
   * @param batchSize at most this many ticks per emitted batch
   * @param window when positive, a batch spans less than this much exchange time (paced replays release whole
   *     batches at once, so this bounds their burstiness); 0: no bound
   */
  static Source<List<Tick>, NotUsed> merged(long[] tokens, long from, long to, TickQueries store, Executor blocking, int pageSize,
      int batchSize, long window) {
    return Source.lazySource(() -> {
      State s = new State(tokens, from, to, store, blocking, pageSize);
      for (int i = 0; i < tokens.length; i++) s.fetch(i, null);
      return Source.unfoldAsync(s, st -> st.pull(batchSize, window));
    }).mapMaterializedValue(m -> NotUsed.getInstance());
  }

  private static final class State {
    final long[] tokens;
    final long from;
    final long to;
    final TickQueries store;
    final Executor blocking;
    final int pageSize;
    final TickMerge merge;
    final List<CompletableFuture<Page<Tick>>> pending;

    State(long[] tokens, long from, long to, TickQueries store, Executor blocking, int pageSize) {
      this.tokens = tokens;
      this.from = from;
      this.to = to;
      this.store = store;
      this.blocking = blocking;
      this.pageSize = pageSize;
      this.merge = new TickMerge(tokens.length);
      this.pending = new ArrayList<>(tokens.length);
      for (int i = 0; i < tokens.length; i++) pending.add(null);
    }

    void fetch(int i, String cursor) {
      long token = tokens[i];
      pending.set(i, CompletableFuture.supplyAsync(() -> store.page(token, from, to, pageSize, cursor), blocking));
    }

    CompletionStage<Optional<Pair<State, List<Tick>>>> pull(int batchSize, long window) {
      if (merge.done()) return CompletableFuture.completedFuture(Optional.empty());
      if (merge.starving() > 0) {
        List<Integer> hungry = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) if (merge.starving(i)) hungry.add(i);
        CompletableFuture<?>[] waits = hungry.stream().map(pending::get).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(waits).thenCompose(v -> {
          for (int i : hungry) {
            Page<Tick> page = pending.get(i).join();
            boolean last = page.nextCursor() == null;
            merge.offer(i, page.items(), last);
            if (last) pending.set(i, null);
            else fetch(i, page.nextCursor()); // read ahead while this page is merged
          }
          return pull(batchSize, window);
        });
      }
      long head = merge.headTs();
      long before = window <= 0 || head > Long.MAX_VALUE - window ? Long.MAX_VALUE : head + window;
      List<Tick> out = new ArrayList<>(Math.min(batchSize, 4096));
      merge.drainTo(out, batchSize, before);
      return CompletableFuture.completedFuture(Optional.of(Pair.create(this, out)));
    }
  }
}
