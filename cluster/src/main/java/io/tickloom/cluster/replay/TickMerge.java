package io.tickloom.cluster.replay;

import io.tickloom.protocol.Tick;
import java.util.List;

/**
 * K-way merge of per-instrument tick streams into one global exchange-time order (SPEC §5 replays). Plain Java, no
 * I/O: the caller feeds each stream's pages ({@link #offer}) and takes merged ticks ({@link #drainTo}) whenever no
 * stream is starving.
 *
 * <p><b>Order.</b> By {@code exchangeTs}; ticks sharing a timestamp come by stream index (the session orders its
 * streams by token, so: by token), and within one stream in the stream's own order (the tick store's key order,
 * {@code (exchangeTs, dedupeKey)}). Every tick offered comes out exactly once: nothing sharing a timestamp is lost or
 * repeated, and the output depends only on the input, never on page boundaries or arrival timing.
 *
 * <p><b>Invariant.</b> A tick is emitted only while every unfinished stream has a buffered head, so no stream can
 * still deliver an earlier tick. A stream whose buffer ran dry is {@link #starving()} until its next page (or its
 * end) is offered. Memory: the pages offered and not yet drained; the heap is {@code O(K)}. Pages must be sorted
 * and must continue their stream in order (each page's first tick not before the previous page's last). Not
 * thread-safe.
 */
public final class TickMerge {
  private final List<Tick>[] pages;
  private final int[] pos;
  private final boolean[] last;
  private final boolean[] finished;
  /** Binary min-heap of stream indices with a buffered head, by (head exchangeTs, stream index). */
  private final int[] heap;
  private int heapSize;
  /** Streams with no buffered head that may still deliver a page. */
  private int starvingCount;
  private final boolean[] starving;
  private int finishedCount;

  @SuppressWarnings("unchecked")
  public TickMerge(int streams) {
    if (streams < 1) throw new IllegalArgumentException("at least one stream");
    pages = (List<Tick>[]) new List<?>[streams];
    pos = new int[streams];
    last = new boolean[streams];
    finished = new boolean[streams];
    starving = new boolean[streams];
    heap = new int[streams];
    java.util.Arrays.fill(starving, true);
    starvingCount = streams;
  }

  public int streams() {
    return pages.length;
  }

  /**
   * The next page of {@code stream} (sorted, continuing it); {@code isLast} when the stream ends with it (the page may
   * be empty then). Only a starving stream takes a page.
   *
   * @throws IllegalStateException when {@code stream} is not starving
   */
  public void offer(int stream, List<Tick> page, boolean isLast) {
    if (!starving[stream]) throw new IllegalStateException("stream " + stream + " is not waiting for a page");
    starving[stream] = false;
    starvingCount--;
    if (page.isEmpty()) {
      if (isLast) finish(stream);
      else markStarving(stream);
      return;
    }
    pages[stream] = page;
    pos[stream] = 0;
    last[stream] = isLast;
    push(stream);
  }

  /** Whether {@code stream} waits for its next page. */
  public boolean starving(int stream) {
    return starving[stream];
  }

  /** How many streams wait for a page: {@link #drainTo} emits nothing while this is not zero. */
  public int starving() {
    return starvingCount;
  }

  /** Whether every stream has ended and every tick was drained. */
  public boolean done() {
    return finishedCount == pages.length;
  }

  /** The smallest exchangeTs buffered (the next tick's), or {@link Long#MAX_VALUE} when none is. */
  public long headTs() {
    return heapSize == 0 ? Long.MAX_VALUE : head(heap[0]).exchangeTs();
  }

  /**
   * Appends merged ticks to {@code out} while no stream is starving, at most {@code max} of them and only ticks with
   * {@code exchangeTs < before} ({@link Long#MAX_VALUE}: no bound). Allocates nothing.
   *
   * @return how many ticks were appended
   */
  public int drainTo(List<Tick> out, int max, long before) {
    int n = 0;
    while (n < max && starvingCount == 0 && heapSize > 0) {
      int s = heap[0];
      Tick t = head(s);
      if (t.exchangeTs() >= before) break;
      out.add(t);
      n++;
      int p = ++pos[s];
      if (p < pages[s].size()) {
        siftDown(0); // the same stream, a later head
      } else {
        pages[s] = null;
        removeTop();
        if (last[s]) finish(s);
        else markStarving(s);
      }
    }
    return n;
  }

  private Tick head(int s) {
    return pages[s].get(pos[s]);
  }

  private void finish(int s) {
    finished[s] = true;
    finishedCount++;
  }

  private void markStarving(int s) {
    starving[s] = true;
    starvingCount++;
  }

  private boolean less(int a, int b) {
    long ta = head(a).exchangeTs();
    long tb = head(b).exchangeTs();
    return ta < tb || ta == tb && a < b;
  }

  private void push(int s) {
    int i = heapSize++;
    heap[i] = s;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!less(heap[i], heap[parent])) break;
      swap(i, parent);
      i = parent;
    }
  }

  private void removeTop() {
    heap[0] = heap[--heapSize];
    if (heapSize > 0) siftDown(0);
  }

  private void siftDown(int i) {
    while (true) {
      int l = 2 * i + 1;
      if (l >= heapSize) return;
      int r = l + 1;
      int m = r < heapSize && less(heap[r], heap[l]) ? r : l;
      if (!less(heap[m], heap[i])) return;
      swap(i, m);
      i = m;
    }
  }

  private void swap(int a, int b) {
    int x = heap[a];
    heap[a] = heap[b];
    heap[b] = x;
  }
}
