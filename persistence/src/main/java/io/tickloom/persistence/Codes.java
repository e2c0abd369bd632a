package io.tickloom.persistence;

import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.TickStatus;

/**
 * The stored small-integer codes of tick enums (listed in V1 of the schema). Explicit, so reordering an enum
 * never changes what stored rows mean; a new constant needs a new code here and in a migration comment.
 */
final class Codes {
  private Codes() {}

  static short feed(Feed f) {
    return switch (f) {
      case PRIMARY -> 0;
      case SECONDARY -> 1;
      case REPLAY -> 2;
      case IMPORT -> 3;
    };
  }

  static Feed feed(short code) {
    return switch (code) {
      case 0 -> Feed.PRIMARY;
      case 1 -> Feed.SECONDARY;
      case 2 -> Feed.REPLAY;
      case 3 -> Feed.IMPORT;
      default -> throw new IllegalStateException("unknown stored feed code " + code);
    };
  }

  static short side(Side s) {
    return s == Side.BUY ? (short) 1 : (short) -1;
  }

  /** The side of a non-null stored code. */
  static Side side(short code) {
    return switch (code) {
      case 1 -> Side.BUY;
      case -1 -> Side.SELL;
      default -> throw new IllegalStateException("unknown stored side code " + code);
    };
  }

  static short status(TickStatus s) {
    return s == TickStatus.LIVE ? (short) 0 : (short) 1;
  }

  static TickStatus status(short code) {
    return switch (code) {
      case 0 -> TickStatus.LIVE;
      case 1 -> TickStatus.STALE;
      default -> throw new IllegalStateException("unknown stored status code " + code);
    };
  }
}
