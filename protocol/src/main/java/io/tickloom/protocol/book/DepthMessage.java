package io.tickloom.protocol.book;

import io.tickloom.protocol.CborSerializable;
import io.tickloom.protocol.Side;
import java.util.Objects;

/**
 * One depth message of an instrument's book feed, as it travels from a feed through the ingest path to the owning
 * instrument entity (and into the book log). Two families, one record (so a batch is a plain list and the wire form
 * needs no type tags):
 * <ul>
 *   <li>L2 (market by price): {@link Type#L2_SNAPSHOT} (every level, {@code finalId} = the snapshot's update id) and
 *       {@link Type#L2_UPDATE} (changed levels with absolute sizes, size 0 removes; update ids {@code firstId..finalId},
 *       {@code previousId} the feed's {@code pu} where it has one). Levels in the four arrays, any order.
 *   <li>L3 (market by order): {@link Type#L3_ADD}, {@link Type#L3_CANCEL} (partial), {@link Type#L3_DELETE},
 *       {@link Type#L3_EXECUTE} with {@code orderId}, {@code side}, {@code price} and {@code size} (the size added,
 *       cancelled, executed, or for a delete what the feed says remained; {@code price}/{@code side} as the feed gives
 *       them, LOBSTER and ITCH do); and {@link Type#L3_SNAPSHOT}: levels without order ids (LOBSTER's orderbook file),
 *       held as anonymous liquidity that later messages of orders from before the feed draw on (see {@link LiveBook}).
 * </ul>
 * Prices and sizes are fixed-point {@code long}s at the instrument's scales. {@code exchangeTs}/{@code receiveTs} in
 * epoch nanoseconds. The arrays are never modified after construction (the record does not copy them: it is built
 * once per message on the feed's thread and only read afterwards).
 */
public record DepthMessage(long token, long exchangeTs, long receiveTs, Type type, long firstId, long finalId, long previousId,
    long orderId, Side side, long price, long size, long[] bidPrices, long[] bidSizes, long[] askPrices, long[] askSizes)
    implements CborSerializable {

  private static final long[] NONE = new long[0];

  public enum Type {
    L2_SNAPSHOT, L2_UPDATE, L3_SNAPSHOT, L3_ADD, L3_CANCEL, L3_DELETE, L3_EXECUTE;

    private static final Type[] VALUES = values();

    public boolean isL2() {
      return this == L2_SNAPSHOT || this == L2_UPDATE;
    }

    public boolean isSnapshot() {
      return this == L2_SNAPSHOT || this == L3_SNAPSHOT;
    }

    static Type of(int ordinal) {
      if (ordinal < 0 || ordinal >= VALUES.length) throw new IllegalArgumentException("no depth message type " + ordinal);
      return VALUES[ordinal];
    }
  }

  public DepthMessage {
    Objects.requireNonNull(type, "type");
    bidPrices = bidPrices == null ? NONE : bidPrices;
    bidSizes = bidSizes == null ? NONE : bidSizes;
    askPrices = askPrices == null ? NONE : askPrices;
    askSizes = askSizes == null ? NONE : askSizes;
    if (bidPrices.length != bidSizes.length || askPrices.length != askSizes.length) {
      throw new IllegalArgumentException("level prices and sizes differ in length");
    }
    if (!type.isL2() && type != Type.L3_SNAPSHOT && side == null) throw new IllegalArgumentException(type + " needs a side");
  }

  /** An L2 snapshot: every level of the book, as of update id {@code lastUpdateId}. */
  public static DepthMessage l2Snapshot(long token, long exchangeTs, long receiveTs, long lastUpdateId, long[] bidPrices,
      long[] bidSizes, long[] askPrices, long[] askSizes) {
    return new DepthMessage(token, exchangeTs, receiveTs, Type.L2_SNAPSHOT, lastUpdateId, lastUpdateId, 0, 0, null, 0, 0,
        bidPrices, bidSizes, askPrices, askSizes);
  }

  /** An L2 incremental update of update ids {@code firstId..finalId}: the changed levels, absolute sizes (0 removes). */
  public static DepthMessage l2Update(long token, long exchangeTs, long receiveTs, long firstId, long finalId, long previousId,
      long[] bidPrices, long[] bidSizes, long[] askPrices, long[] askSizes) {
    return new DepthMessage(token, exchangeTs, receiveTs, Type.L2_UPDATE, firstId, finalId, previousId, 0, null, 0, 0,
        bidPrices, bidSizes, askPrices, askSizes);
  }

  /** An L3 snapshot of levels without order ids (anonymous liquidity). */
  public static DepthMessage l3Snapshot(long token, long exchangeTs, long receiveTs, long[] bidPrices, long[] bidSizes,
      long[] askPrices, long[] askSizes) {
    return new DepthMessage(token, exchangeTs, receiveTs, Type.L3_SNAPSHOT, 0, 0, 0, 0, null, 0, 0, bidPrices, bidSizes, askPrices,
        askSizes);
  }

  /** An order-level message ({@code type} one of the {@code L3_*} but {@link Type#L3_SNAPSHOT}). */
  public static DepthMessage order(long token, long exchangeTs, long receiveTs, Type type, long orderId, Side side, long price,
      long size) {
    if (type.isL2() || type == Type.L3_SNAPSHOT) throw new IllegalArgumentException("not an order message: " + type);
    return new DepthMessage(token, exchangeTs, receiveTs, type, 0, 0, 0, orderId, side, price, size, null, null, null, null);
  }

  /** Number of levels the message carries (both sides). */
  public int levelCount() {
    return bidPrices.length + askPrices.length;
  }
}
