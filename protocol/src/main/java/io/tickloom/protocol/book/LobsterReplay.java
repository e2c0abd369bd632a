package io.tickloom.protocol.book;

import io.tickloom.protocol.Side;
import io.tickloom.protocol.format.LobsterMessages;
import io.tickloom.protocol.format.LobsterOrderbook;

/**
 * LOBSTER's visible level-N book rebuilt message by message with an {@link L2Book} (oracle README §1, SPEC §7): the
 * kernel of the {@code book --format lobster} command, kept apart from file handling so a benchmark or the live
 * import can drive it.
 *
 * <h2>Rules</h2>
 * <ol>
 *   <li>Type 1 adds {@code size} at ({@code direction}'s side, {@code price}); types 2, 3 and 4 subtract {@code size}
 *       at that level (removed at 0). Types 5 (hidden execution), 6 (cross) and 7 (halt) change no visible level.
 *       The level rule, not the order ids, decides: LOBSTER's sample days begin with orders resting from before the
 *       file, known only by their level.
 *   <li>After each message only the best N levels per side are kept: a level-N file carries only the events that
 *       touch the top N levels, so a level pushed to N+1 would go stale.
 *   <li>Depth revelation ({@link #reveal}): when a side then knows fewer than N levels, the deeper levels the
 *       orderbook file shows for the same message (liquidity never seen in the window) are adopted.
 *   <li>The book before the first message is unknown: {@link #seed} loads the orderbook file's first row (the state
 *       after message 1).
 * </ol>
 * A decrease at a price without a level, or below zero, is refused and counted as a book-integrity event ({@link
 * BookResult#UNKNOWN_LEVEL}/{@link BookResult#NEGATIVE_SIZE}); so is a crossed or locked book after a message. None
 * of them occurs in the LOBSTER samples.
 *
 * <p>Allocation: none per message ({@link #appendRow} appends to the caller's builder). Not thread-safe.
 */
public final class LobsterReplay {
  private final int levels;
  private final L2Book book;
  private long messages;
  private long hiddenExecutions;
  private long halts;
  private long revealedRows;
  private long revealedLevels;
  private long mismatchedRows;

  /**
   * @param levels N, the levels per side kept and printed
   * @param listener told of integrity events
   */
  public LobsterReplay(int levels, BookIntegrityListener listener) {
    if (levels < 1 || levels > LobsterOrderbook.MAX_LEVELS) {
      throw new IllegalArgumentException("levels must be 1 to " + LobsterOrderbook.MAX_LEVELS + ": " + levels);
    }
    this.levels = levels;
    this.book = new L2Book(L2Book.SyncRule.NONE, levels + 2, listener);
  }

  public int levels() {
    return levels;
  }

  /** The book (read it; feeding it directly bypasses the rules above). */
  public L2Book book() {
    return book;
  }

  /** Replaces the book with the occupied levels of {@code row} (a snapshot: clears the integrity flag). */
  public void seed(LobsterOrderbook row) {
    book.beginSnapshot(0);
    for (int i = 0; i < Math.min(levels, row.askLevels()); i++) book.set(Side.SELL, row.askPrice(i), row.askSize(i));
    for (int i = 0; i < Math.min(levels, row.bidLevels()); i++) book.set(Side.BUY, row.bidPrice(i), row.bidSize(i));
    book.endSnapshot();
  }

  /** Applies the reader's current message; see {@link #apply(int, Side, long, long)}. */
  public BookResult apply(LobsterMessages m) {
    return apply(m.type(), m.side(), m.price(), m.size());
  }

  /**
   * Applies one message by the level rule and keeps the top N levels.
   *
   * @param type LOBSTER event type 1–7
   * @return {@link BookResult#OK}, or the integrity event it caused
   */
  public BookResult apply(int type, Side side, long price, long size) {
    messages++;
    BookResult r;
    switch (type) {
      case LobsterMessages.SUBMIT -> r = book.add(side, price, size);
      case LobsterMessages.CANCEL, LobsterMessages.DELETE, LobsterMessages.EXECUTE_VISIBLE -> r = book.add(side, price, -size);
      case LobsterMessages.EXECUTE_HIDDEN -> {
        hiddenExecutions++;
        return BookResult.OK;
      }
      case LobsterMessages.HALT -> {
        halts++;
        return BookResult.OK;
      }
      default -> {
        return BookResult.OK;
      }
    }
    if (r != BookResult.OK) return r;
    book.truncate(levels);
    return book.checkCrossing();
  }

  /** Counts message 1 when the book was {@link #seed seeded} with its result instead of applying it. */
  public void countSeededMessage() {
    messages++;
  }

  /**
   * Compares the levels the book knows with {@code row} (the orderbook file's row for the same message), counts a
   * mismatch, then adopts the deeper levels of {@code row} on each side that knows fewer than N (only prices beyond
   * its worst known level).
   *
   * @return the number of levels adopted
   */
  public int reveal(LobsterOrderbook row) {
    if (!agrees(row)) mismatchedRows++;
    int adopted = adopt(Side.SELL, row, row.askLevels()) + adopt(Side.BUY, row, row.bidLevels());
    if (adopted > 0) {
      revealedRows++;
      revealedLevels += adopted;
    }
    return adopted;
  }

  private int adopt(Side side, LobsterOrderbook row, int occupied) {
    int known = book.levels(side);
    if (known >= levels) return 0;
    PriceLevels levelsOfSide = book.side(side);
    int adopted = 0;
    for (int i = 0; i < Math.min(occupied, levels) && known + adopted < levels; i++) {
      long p = side == Side.SELL ? row.askPrice(i) : row.bidPrice(i);
      if (!levelsOfSide.isBelowAll(p)) continue;
      levelsOfSide.set(p, side == Side.SELL ? row.askSize(i) : row.bidSize(i));
      adopted++;
    }
    return adopted;
  }

  private boolean agrees(LobsterOrderbook row) {
    int na = book.levels(Side.SELL);
    int nb = book.levels(Side.BUY);
    if (na > row.askLevels() || nb > row.bidLevels()) return false;
    for (int i = 0; i < na; i++) {
      if (book.price(Side.SELL, i) != row.askPrice(i) || book.size(Side.SELL, i) != row.askSize(i)) return false;
    }
    for (int i = 0; i < nb; i++) {
      if (book.price(Side.BUY, i) != row.bidPrice(i) || book.size(Side.BUY, i) != row.bidSize(i)) return false;
    }
    return true;
  }

  /**
   * Appends the book's top N levels in the orderbook-file layout, {@code askPrice1,askSize1,bidPrice1,bidSize1,...},
   * empty levels as {@code 9999999999,0} (ask) and {@code -9999999999,0} (bid); no line end.
   */
  public void appendRow(StringBuilder sb) {
    int na = book.levels(Side.SELL);
    int nb = book.levels(Side.BUY);
    for (int i = 0; i < levels; i++) {
      if (i > 0) sb.append(',');
      if (i < na) sb.append(book.price(Side.SELL, i)).append(',').append(book.size(Side.SELL, i));
      else sb.append(LobsterOrderbook.EMPTY_ASK_PRICE).append(",0");
      sb.append(',');
      if (i < nb) sb.append(book.price(Side.BUY, i)).append(',').append(book.size(Side.BUY, i));
      else sb.append(LobsterOrderbook.EMPTY_BID_PRICE).append(",0");
    }
  }

  /** Messages applied or counted. */
  public long messages() {
    return messages;
  }

  public long hiddenExecutions() {
    return hiddenExecutions;
  }

  public long halts() {
    return halts;
  }

  /** Rows where {@link #reveal} adopted at least one level. */
  public long revealedRows() {
    return revealedRows;
  }

  /** Levels adopted by {@link #reveal} in all. */
  public long revealedLevels() {
    return revealedLevels;
  }

  /** Rows whose known levels disagreed with the orderbook file before revelation (0 when the replay is exact). */
  public long mismatchedRows() {
    return mismatchedRows;
  }
}
