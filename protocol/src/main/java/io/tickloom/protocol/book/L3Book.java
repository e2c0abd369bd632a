package io.tickloom.protocol.book;

import io.tickloom.protocol.Side;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * An order-by-order (L3, market-by-order) book: order id → (side, price, remaining size), with the aggregated
 * visible levels kept in step, from order-level feeds (LOBSTER, ITCH): {@link #add}, {@link #cancel} (partial),
 * {@link #delete} (full) and {@link #execute} (a visible execution).
 *
 * <h2>Invariants</h2>
 * Every held order has a remaining size {@code > 0}; on each side the size of a level equals the sum of the remaining
 * sizes of the orders at that price, and a level exists exactly when some order rests there. {@link
 * #validateInternalState()} checks all of it (tests call it).
 *
 * <h2>Integrity</h2>
 * An add with a size {@code <= 0}, an id already held or a size that would take its level's total past
 * {@code Long.MAX_VALUE}, and a cancel/delete/execute of an unknown id, with a size
 * {@code <= 0} or larger than the remaining size, are refused (the book is unchanged) and reported; an add that leaves
 * the book crossed or locked is applied and reported (an exchange's own book never rests crossed). Every such event
 * flags the book {@link #needsSnapshot()} until {@link #beginSnapshot()}/{@link #endSnapshot()} reload it.
 *
 * <h2>Cost</h2>
 * Orders live in primitive arrays indexed through an open-addressing (linear probing, backward-shift deletion) map
 * from id to slot: a lookup is O(1) expected, and the level update is {@link L2Book}'s. Allocation: none per message;
 * the order arrays and the map double when more orders rest than ever before (size the book with {@code
 * initialOrders} to avoid it). Not thread-safe: one owner feeds it.
 */
public final class L3Book extends AbstractBook {
  /** Receives held orders from {@link #forEachOrder}. */
  @FunctionalInterface
  public interface OrderVisitor {
    void order(long orderId, Side side, long price, long size);
  }

  // Order data by slot.
  private long[] ids;
  private long[] prices;
  private long[] sizes;
  private boolean[] isBid;
  private int[] freeSlots;
  private int free;
  private int slotsUsed;
  private int orders;
  // Id → slot + 1 (0: empty), linear probing.
  private long[] tableIds;
  private int[] tableSlots;
  private int mask;

  /**
   * @param initialOrders orders held before the arrays grow
   * @param initialLevels levels per side held before those arrays grow
   * @param listener told of every integrity event
   */
  public L3Book(int initialOrders, int initialLevels, BookIntegrityListener listener) {
    super(initialLevels, listener);
    int capacity = Math.max(16, initialOrders);
    allocateSlots(capacity);
    allocateTable(tableSizeFor(capacity));
  }

  /** Room for 4,096 orders and 64 levels per side before growing; integrity events only counted. */
  public L3Book() {
    this(4096, 64, BookIntegrityListener.IGNORE);
  }

  /**
   * A new resting order.
   *
   * @return {@link BookResult#OK}; refused: {@link BookResult#NEGATIVE_SIZE} (size {@code <= 0}, or a level total
   *     beyond {@code Long.MAX_VALUE}), {@link BookResult#DUPLICATE_ORDER}; applied but reported:
   *     {@link BookResult#CROSSED}, {@link BookResult#LOCKED}
   */
  public BookResult add(long orderId, Side side, long price, long size) {
    if (size <= 0) return violation(BookResult.NEGATIVE_SIZE, orderId);
    if ((orders + 1) * 2 > tableIds.length) rehash(tableIds.length * 2);
    int t = find(orderId);
    if (t >= 0) return violation(BookResult.DUPLICATE_ORDER, orderId);
    boolean bid = side == Side.BUY;
    // the level first: refused (nothing changed) when its total would pass Long.MAX_VALUE
    if ((bid ? bids : asks).add(price, size) < 0) return violation(BookResult.NEGATIVE_SIZE, orderId);
    int slot = allocateSlot();
    ids[slot] = orderId;
    prices[slot] = price;
    sizes[slot] = size;
    isBid[slot] = bid;
    int at = -t - 1;
    tableIds[at] = orderId;
    tableSlots[at] = slot + 1;
    orders++;
    return checkCrossing();
  }

  /**
   * Partial cancel: removes {@code size} from the order (the order goes when nothing remains).
   *
   * @return {@link BookResult#OK}; refused: {@link BookResult#UNKNOWN_ORDER}, {@link BookResult#NEGATIVE_SIZE}
   *     (size {@code <= 0}), {@link BookResult#OVER_CANCEL} (more than remains)
   */
  public BookResult cancel(long orderId, long size) {
    return reduce(orderId, size);
  }

  /** A visible execution of {@code size} against the order; results as {@link #cancel}. */
  public BookResult execute(long orderId, long size) {
    return reduce(orderId, size);
  }

  /**
   * Removes the order with whatever remains of it.
   *
   * @return {@link BookResult#OK}, or {@link BookResult#UNKNOWN_ORDER} (refused)
   */
  public BookResult delete(long orderId) {
    int t = find(orderId);
    if (t < 0) return violation(BookResult.UNKNOWN_ORDER, orderId);
    int slot = tableSlots[t] - 1;
    (isBid[slot] ? bids : asks).add(prices[slot], -sizes[slot]);
    removeAt(t, slot);
    return BookResult.OK;
  }

  private BookResult reduce(long orderId, long size) {
    if (size <= 0) return violation(BookResult.NEGATIVE_SIZE, orderId);
    int t = find(orderId);
    if (t < 0) return violation(BookResult.UNKNOWN_ORDER, orderId);
    int slot = tableSlots[t] - 1;
    long remaining = sizes[slot];
    if (size > remaining) return violation(BookResult.OVER_CANCEL, orderId);
    (isBid[slot] ? bids : asks).add(prices[slot], -size);
    if (size == remaining) removeAt(t, slot);
    else sizes[slot] = remaining - size;
    return BookResult.OK;
  }

  /** Starts loading a snapshot: removes every order and level and clears the integrity flag; then {@link #add}. */
  public void beginSnapshot() {
    clear();
    stale = false;
  }

  /** Ends a snapshot: {@link BookResult#OK}, or a crossed/locked book (reported). */
  public BookResult endSnapshot() {
    return checkCrossing();
  }

  /** Removes every order and level (the integrity flag and counters stay). */
  public void clear() {
    Arrays.fill(tableSlots, 0);
    bids.clear();
    asks.clear();
    orders = 0;
    slotsUsed = 0;
    free = 0;
  }

  /** Number of resting orders. */
  public int orderCount() {
    return orders;
  }

  public boolean hasOrder(long orderId) {
    return find(orderId) >= 0;
  }

  /** Remaining size of the order, 0 when it is not held. */
  public long orderSize(long orderId) {
    int t = find(orderId);
    return t < 0 ? 0 : sizes[tableSlots[t] - 1];
  }

  /** Price of the order, {@link OrderBook#NO_PRICE} when it is not held. */
  public long orderPrice(long orderId) {
    int t = find(orderId);
    return t < 0 ? NO_PRICE : prices[tableSlots[t] - 1];
  }

  /** Side of the order, null when it is not held. */
  public Side orderSide(long orderId) {
    int t = find(orderId);
    return t < 0 ? null : isBid[tableSlots[t] - 1] ? Side.BUY : Side.SELL;
  }

  /** Visits every resting order, in no particular order. Must not modify the book. */
  public void forEachOrder(OrderVisitor visitor) {
    for (int t = 0; t < tableSlots.length; t++) {
      int s = tableSlots[t] - 1;
      if (s >= 0) visitor.order(ids[s], isBid[s] ? Side.BUY : Side.SELL, prices[s], sizes[s]);
    }
  }

  /**
   * Checks every invariant of the class documentation and of the id map; throws {@link IllegalStateException}
   * naming the first broken one. Allocates (maps of the expected levels): for tests, not for the hot path.
   */
  public void validateInternalState() {
    bids.validate("bids");
    asks.validate("asks");
    Map<Long, Long> bidLevels = new HashMap<>();
    Map<Long, Long> askLevels = new HashMap<>();
    int seen = 0;
    for (int t = 0; t < tableSlots.length; t++) {
      int s = tableSlots[t] - 1;
      if (s < 0) continue;
      seen++;
      if (ids[s] != tableIds[t]) throw new IllegalStateException("map entry " + t + " points at the slot of another order");
      if (find(ids[s]) != t) throw new IllegalStateException("order " + ids[s] + " not reachable by probing");
      if (sizes[s] <= 0) throw new IllegalStateException("order " + ids[s] + " has size " + sizes[s]);
      (isBid[s] ? bidLevels : askLevels).merge(prices[s], sizes[s], Long::sum);
    }
    if (seen != orders) throw new IllegalStateException("map holds " + seen + " orders, count says " + orders);
    checkLevels(bids, bidLevels, "bids");
    checkLevels(asks, askLevels, "asks");
  }

  private static void checkLevels(PriceLevels side, Map<Long, Long> expected, String name) {
    if (side.count() != expected.size()) {
      throw new IllegalStateException(name + ": " + side.count() + " levels, orders rest at " + expected.size() + " prices");
    }
    for (int i = 0; i < side.count(); i++) {
      Long sum = expected.get(side.price(i));
      if (sum == null || sum != side.size(i)) {
        throw new IllegalStateException(name + ": level " + side.price(i) + " has size " + side.size(i) + ", orders sum to " + sum);
      }
    }
  }

  // --- slots and the id map -------------------------------------------------------------------------------------

  private void allocateSlots(int capacity) {
    ids = new long[capacity];
    prices = new long[capacity];
    sizes = new long[capacity];
    isBid = new boolean[capacity];
    freeSlots = new int[capacity];
  }

  private int allocateSlot() {
    if (free > 0) return freeSlots[--free];
    if (slotsUsed == ids.length) {
      int c = ids.length * 2;
      ids = Arrays.copyOf(ids, c);
      prices = Arrays.copyOf(prices, c);
      sizes = Arrays.copyOf(sizes, c);
      isBid = Arrays.copyOf(isBid, c);
      freeSlots = Arrays.copyOf(freeSlots, c);
    }
    return slotsUsed++;
  }

  private static int tableSizeFor(int orders) {
    int size = Integer.highestOneBit(Math.max(8, orders * 2 - 1)) << 1;
    if (size <= 0) throw new IllegalArgumentException("too many orders: " + orders);
    return size;
  }

  private void allocateTable(int size) {
    tableIds = new long[size];
    tableSlots = new int[size];
    mask = size - 1;
  }

  private int home(long id) {
    long h = id * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  /** Map index of {@code id}, or {@code -(free index) - 1}. */
  private int find(long id) {
    int i = home(id);
    while (true) {
      if (tableSlots[i] == 0) return -i - 1;
      if (tableIds[i] == id) return i;
      i = (i + 1) & mask;
    }
  }

  private void removeAt(int t, int slot) {
    freeSlots[free++] = slot;
    orders--;
    int i = t;
    int j = t;
    while (true) {
      j = (j + 1) & mask;
      if (tableSlots[j] == 0) break;
      int k = home(tableIds[j]);
      boolean stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
      if (stays) continue;
      tableIds[i] = tableIds[j];
      tableSlots[i] = tableSlots[j];
      i = j;
    }
    tableSlots[i] = 0;
  }

  private void rehash(int size) {
    long[] oldIds = tableIds;
    int[] oldSlots = tableSlots;
    allocateTable(size);
    for (int t = 0; t < oldSlots.length; t++) {
      if (oldSlots[t] == 0) continue;
      int at = -find(oldIds[t]) - 1;
      tableIds[at] = oldIds[t];
      tableSlots[at] = oldSlots[t];
    }
  }
}
