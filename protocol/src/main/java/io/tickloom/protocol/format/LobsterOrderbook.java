package io.tickloom.protocol.format;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.Objects;

/**
 * Streaming reader of a LOBSTER orderbook file (oracle README §1): row i is the visible book after message i, as
 * {@code askPrice1,askSize1,bidPrice1,bidSize1,...} for N levels (4N integer fields), no header, blank lines skipped.
 *
 * <p>Checked per row: 4N fields (N fixed by the caller, or by the first row when given 0); integers; an occupied
 * level has a size {@code > 0} and a price that is not a padding value; the levels of a side are occupied first and
 * padded after ({@link #EMPTY_ASK_PRICE}/{@link #EMPTY_BID_PRICE} with size 0); asks strictly ascending, bids strictly
 * descending. A malformed row is a {@link FormatException} naming the line. The reader is a cursor over reused
 * arrays: reading allocates only the line's string. Not thread-safe.
 */
public final class LobsterOrderbook implements Closeable {
  /** Price of an empty ask level. */
  public static final long EMPTY_ASK_PRICE = 9_999_999_999L;
  /** Price of an empty bid level. */
  public static final long EMPTY_BID_PRICE = -9_999_999_999L;
  /** Most levels accepted. */
  public static final int MAX_LEVELS = 1000;

  private final Csv csv;
  private int levels;
  private long[] askPrices;
  private long[] askSizes;
  private long[] bidPrices;
  private long[] bidSizes;
  private int askLevels;
  private int bidLevels;

  /**
   * @param source file name used in error messages, or null
   * @param levels the N of the file, or 0 to take it from the first row
   */
  public LobsterOrderbook(Reader in, String source, int levels) {
    if (levels < 0 || levels > MAX_LEVELS) throw new IllegalArgumentException("levels must be 0 to " + MAX_LEVELS + ": " + levels);
    this.csv = new Csv(Objects.requireNonNull(in, "in"), source, 4 * MAX_LEVELS);
    if (levels > 0) allocate(levels);
  }

  private void allocate(int n) {
    levels = n;
    askPrices = new long[n];
    askSizes = new long[n];
    bidPrices = new long[n];
    bidSizes = new long[n];
  }

  /**
   * Reads the next row.
   *
   * @return false at the end of the input
   * @throws FormatException for a malformed row
   */
  public boolean next() {
    if (!csv.nextRow()) return false;
    int fields = csv.fields();
    if (levels == 0) {
      if (fields % 4 != 0) throw csv.error("expected 4 fields per level (askPrice,askSize,bidPrice,bidSize), got " + fields);
      allocate(fields / 4);
    } else if (fields != 4 * levels) {
      throw csv.error("expected " + 4 * levels + " fields (" + levels + " levels of askPrice,askSize,bidPrice,bidSize), got " + fields);
    }
    askLevels = side(0, askPrices, askSizes, EMPTY_ASK_PRICE, "ask");
    bidLevels = side(2, bidPrices, bidSizes, EMPTY_BID_PRICE, "bid");
    return true;
  }

  private int side(int offset, long[] prices, long[] sizes, long empty, String name) {
    int occupied = 0;
    for (int i = 0; i < levels; i++) {
      long p = csv.integer(4 * i + offset, name + "Price" + (i + 1));
      long s = csv.integer(4 * i + offset + 1, name + "Size" + (i + 1));
      if (p == empty) {
        if (s != 0) throw csv.error(name + "Size" + (i + 1) + ": an empty level (price " + empty + ") must have size 0, got " + s);
      } else {
        if (occupied != i) throw csv.error(name + " level " + (i + 1) + " is occupied after an empty level");
        if (s <= 0) throw csv.error(name + "Size" + (i + 1) + ": an occupied level needs a positive size, got " + s);
        if (i > 0 && (offset == 0 ? p <= prices[i - 1] : p >= prices[i - 1])) {
          throw csv.error(name + "Price" + (i + 1) + ": " + p + " is not " + (offset == 0 ? "above" : "below")
              + " level " + i + "'s " + prices[i - 1]);
        }
        occupied++;
      }
      prices[i] = p;
      sizes[i] = s;
    }
    return occupied;
  }

  /** N: the levels per side of the file (0 before the first row when not given). */
  public int levels() {
    return levels;
  }

  /** Occupied ask levels in the current row. */
  public int askLevels() {
    return askLevels;
  }

  /** Occupied bid levels in the current row. */
  public int bidLevels() {
    return bidLevels;
  }

  /** Ask price of level {@code i} (0 = best) of the current row; {@link #EMPTY_ASK_PRICE} when empty. */
  public long askPrice(int i) {
    return askPrices[i];
  }

  public long askSize(int i) {
    return askSizes[i];
  }

  /** Bid price of level {@code i} (0 = best) of the current row; {@link #EMPTY_BID_PRICE} when empty. */
  public long bidPrice(int i) {
    return bidPrices[i];
  }

  public long bidSize(int i) {
    return bidSizes[i];
  }

  /** The current row as read (without line end). */
  public String text() {
    return csv.text();
  }

  /** 1-based number of the last line read (0 before the first). */
  public long line() {
    return csv.line();
  }

  @Override
  public void close() throws IOException {
    csv.close();
  }
}
