package io.tickloom.protocol.format.kite;

import io.tickloom.protocol.format.FormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Codec of the Zerodha Kite WebSocket ticker (binary market data and the JSON subscription messages).
 *
 * <p>A binary message is a big-endian unsigned int16 packet count, then per packet an unsigned int16 length and
 * that many bytes; a 1-byte message is a heartbeat. The packet layout follows from its length:
 * <pre>
 *   8   LTP          token, last_price
 *   28  index quote  token, last_price, high, low, open, close, change
 *   32  index full   the 28 + exchange_timestamp
 *   44  quote        token, last_price, last_qty, avg_price, volume, buy_qty, sell_qty, open, high, low, close
 *   184 full         the 44 + last_trade_time, oi, oi_day_high, oi_day_low, exchange_timestamp,
 *                    then 10 depth levels of 12 bytes (qty int32, price int32, orders int16, 2 padding),
 *                    5 bids then 5 asks
 * </pre>
 * All fields are unsigned 32-bit (depth orders unsigned 16-bit), read as {@code long}; times are epoch seconds.
 * Prices keep Kite's integer units with the token's {@link #priceScale(long)}: segment ({@code token & 0xff}) 3
 * (CDS) has 7 decimals, 6 (BCD) 4, all others 2 (paise). The index {@code change} field is skipped.
 *
 * <p>Malformed input (a truncated message, a length beyond the remaining bytes, an unknown packet length, bytes
 * after the last packet) is a {@link FormatException} with source {@value #SOURCE} whose {@code line} is the 1-based
 * packet index, or 0 for the message framing itself. Nothing else is thrown for any input bytes. The decoders read
 * with absolute positions and leave the caller's buffer untouched; they allocate the ticks and lists.
 */
public final class KiteTicker {
  private KiteTicker() {}

  /** Source label of decoding errors. */
  public static final String SOURCE = "kite-ticker";

  public static final int LTP_LENGTH = 8;
  public static final int INDEX_QUOTE_LENGTH = 28;
  public static final int INDEX_FULL_LENGTH = 32;
  public static final int QUOTE_LENGTH = 44;
  public static final int FULL_LENGTH = 184;

  public static final int SEGMENT_CDS = 3;
  public static final int SEGMENT_BCD = 6;
  public static final int SEGMENT_INDICES = 9;

  /** Depth levels per side in a full packet. */
  public static final int DEPTH_LEVELS = 5;

  private static final int DEPTH_OFFSET = 64;
  private static final int DEPTH_ENTRY = 12;
  private static final long UINT32_MAX = 0xFFFF_FFFFL;

  /** Kite segment of an instrument token: its low byte. */
  public static int segment(long token) {
    return (int) (token & 0xff);
  }

  /** Decimals of the prices in packets of {@code token}: 7 for CDS, 4 for BCD, else 2. */
  public static int priceScale(long token) {
    return switch (segment(token)) {
      case SEGMENT_CDS -> 7;
      case SEGMENT_BCD -> 4;
      default -> 2;
    };
  }

  /** False for the indices segment. */
  public static boolean isTradable(long token) {
    return segment(token) != SEGMENT_INDICES;
  }

  /**
   * Decodes one binary WebSocket message (from its position to its limit) into its ticks, in packet order; a
   * heartbeat (1 byte) and a message of 0 packets give an empty list.
   *
   * @throws FormatException when the bytes are not a well-formed message
   */
  public static List<KiteTick> decodeMessage(ByteBuffer message) {
    ByteBuffer b = message.duplicate().order(ByteOrder.BIG_ENDIAN);
    int size = b.remaining();
    if (size == 1) return List.of();
    if (size < 2) throw new FormatException(SOURCE, 0, "empty message (a heartbeat is 1 byte, a data message at least 2)");
    int count = Short.toUnsignedInt(b.getShort());
    List<KiteTick> ticks = new ArrayList<>(Math.min(count, b.remaining() / (2 + LTP_LENGTH)));
    for (int i = 1; i <= count; i++) {
      if (b.remaining() < 2) {
        throw new FormatException(SOURCE, i, "message of " + size + " bytes truncated: no length for packet " + i + " of " + count);
      }
      int length = Short.toUnsignedInt(b.getShort());
      if (length > b.remaining()) {
        throw new FormatException(SOURCE, i, "packet " + i + " of " + count + " declares " + length + " bytes, only "
            + b.remaining() + " remain in the message");
      }
      ticks.add(decode(b, b.position(), length, i));
      b.position(b.position() + length);
    }
    if (b.hasRemaining()) {
      throw new FormatException(SOURCE, 0, b.remaining() + " bytes after the last of " + count + " packets");
    }
    return ticks;
  }

  /**
   * Decodes one packet without framing: all of {@code packet}'s remaining bytes.
   *
   * @throws FormatException (line 1) when its length is not one of the known layouts
   */
  public static KiteTick decodePacket(ByteBuffer packet) {
    return decode(packet.duplicate().order(ByteOrder.BIG_ENDIAN), packet.position(), packet.remaining(), 1);
  }

  private static KiteTick decode(ByteBuffer b, int at, int length, int index) {
    return switch (length) {
      case LTP_LENGTH -> {
        long token = u32(b, at);
        yield new KiteTick(token, KiteTick.Mode.LTP, isTradable(token), priceScale(token), u32(b, at + 4),
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of());
      }
      case INDEX_QUOTE_LENGTH, INDEX_FULL_LENGTH -> {
        long token = u32(b, at);
        boolean full = length == INDEX_FULL_LENGTH;
        yield new KiteTick(token, full ? KiteTick.Mode.FULL : KiteTick.Mode.QUOTE, isTradable(token), priceScale(token),
            u32(b, at + 4), 0, 0, 0, 0, 0,
            u32(b, at + 16), u32(b, at + 8), u32(b, at + 12), u32(b, at + 20),
            0, 0, 0, 0, full ? u32(b, at + 28) : 0, List.of(), List.of());
      }
      case QUOTE_LENGTH, FULL_LENGTH -> {
        long token = u32(b, at);
        boolean full = length == FULL_LENGTH;
        yield new KiteTick(token, full ? KiteTick.Mode.FULL : KiteTick.Mode.QUOTE, isTradable(token), priceScale(token),
            u32(b, at + 4), u32(b, at + 8), u32(b, at + 12), u32(b, at + 16), u32(b, at + 20), u32(b, at + 24),
            u32(b, at + 28), u32(b, at + 32), u32(b, at + 36), u32(b, at + 40),
            full ? u32(b, at + 44) : 0, full ? u32(b, at + 48) : 0, full ? u32(b, at + 52) : 0,
            full ? u32(b, at + 56) : 0, full ? u32(b, at + 60) : 0,
            full ? depth(b, at + DEPTH_OFFSET) : List.of(),
            full ? depth(b, at + DEPTH_OFFSET + DEPTH_LEVELS * DEPTH_ENTRY) : List.of());
      }
      default -> throw new FormatException(SOURCE, index, "packet " + index + ": unknown packet length " + length
          + " (known: " + LTP_LENGTH + ", " + INDEX_QUOTE_LENGTH + ", " + INDEX_FULL_LENGTH + ", " + QUOTE_LENGTH
          + ", " + FULL_LENGTH + ")");
    };
  }

  private static List<KiteDepth> depth(ByteBuffer b, int at) {
    KiteDepth[] levels = new KiteDepth[DEPTH_LEVELS];
    for (int i = 0; i < DEPTH_LEVELS; i++) {
      int p = at + i * DEPTH_ENTRY;
      levels[i] = new KiteDepth(u32(b, p), u32(b, p + 4), Short.toUnsignedInt(b.getShort(p + 8)));
    }
    return List.of(levels);
  }

  private static long u32(ByteBuffer b, int at) {
    return Integer.toUnsignedLong(b.getInt(at));
  }

  /**
   * The packet Kite would send for {@code tick} (for test servers): LTP mode 8 bytes; an index token (segment 9)
   * 28 or 32 bytes (quote, full), with {@code change} = last - close; other tokens 44 or 184 bytes. Fields the
   * layout lacks are not written; missing depth levels are written empty, and {@link #decodePacket} returns all 5.
   *
   * @throws IllegalArgumentException when a value does not fit its unsigned field, the tick has more than 5 depth
   *     levels a side, or its price scale is not the token's
   */
  public static byte[] encodePacket(KiteTick tick) {
    if (tick.priceScale() != priceScale(tick.token())) {
      throw new IllegalArgumentException("price scale " + tick.priceScale() + " is not token " + tick.token() + "'s " + priceScale(tick.token()));
    }
    if (tick.mode() == KiteTick.Mode.LTP) {
      ByteBuffer b = ByteBuffer.allocate(LTP_LENGTH);
      put(b, tick.token(), "token");
      put(b, tick.lastPrice(), "lastPrice");
      return b.array();
    }
    boolean full = tick.mode() == KiteTick.Mode.FULL;
    if (!isTradable(tick.token())) {
      ByteBuffer b = ByteBuffer.allocate(full ? INDEX_FULL_LENGTH : INDEX_QUOTE_LENGTH);
      put(b, tick.token(), "token");
      put(b, tick.lastPrice(), "lastPrice");
      put(b, tick.high(), "high");
      put(b, tick.low(), "low");
      put(b, tick.open(), "open");
      put(b, tick.close(), "close");
      b.putInt((int) (tick.lastPrice() - tick.close()));
      if (full) put(b, tick.exchangeTimestamp(), "exchangeTimestamp");
      return b.array();
    }
    ByteBuffer b = ByteBuffer.allocate(full ? FULL_LENGTH : QUOTE_LENGTH);
    put(b, tick.token(), "token");
    put(b, tick.lastPrice(), "lastPrice");
    put(b, tick.lastQty(), "lastQty");
    put(b, tick.avgPrice(), "avgPrice");
    put(b, tick.volume(), "volume");
    put(b, tick.buyQty(), "buyQty");
    put(b, tick.sellQty(), "sellQty");
    put(b, tick.open(), "open");
    put(b, tick.high(), "high");
    put(b, tick.low(), "low");
    put(b, tick.close(), "close");
    if (full) {
      put(b, tick.lastTradeTime(), "lastTradeTime");
      put(b, tick.oi(), "oi");
      put(b, tick.oiDayHigh(), "oiDayHigh");
      put(b, tick.oiDayLow(), "oiDayLow");
      put(b, tick.exchangeTimestamp(), "exchangeTimestamp");
      putDepth(b, tick.bids(), "bids");
      putDepth(b, tick.asks(), "asks");
    }
    return b.array();
  }

  private static void putDepth(ByteBuffer b, List<KiteDepth> levels, String side) {
    if (levels.size() > DEPTH_LEVELS) throw new IllegalArgumentException(side + ": " + levels.size() + " levels, at most " + DEPTH_LEVELS);
    for (int i = 0; i < DEPTH_LEVELS; i++) {
      KiteDepth d = i < levels.size() ? levels.get(i) : new KiteDepth(0, 0, 0);
      put(b, d.qty(), side + " qty");
      put(b, d.price(), side + " price");
      if (d.orders() < 0 || d.orders() > 0xFFFF) throw new IllegalArgumentException(side + " orders out of range: " + d.orders());
      b.putShort((short) d.orders());
      b.putShort((short) 0);
    }
  }

  private static void put(ByteBuffer b, long value, String name) {
    if (value < 0 || value > UINT32_MAX) throw new IllegalArgumentException(name + " does not fit an unsigned 32-bit field: " + value);
    b.putInt((int) value);
  }

  /**
   * Frames packets into one binary message (for test servers).
   *
   * @throws IllegalArgumentException for more than 65,535 packets or a packet longer than 65,535 bytes
   */
  public static byte[] encodeMessage(List<byte[]> packets) {
    if (packets.size() > 0xFFFF) throw new IllegalArgumentException("more than 65535 packets: " + packets.size());
    int size = 2;
    for (byte[] p : packets) {
      if (p.length > 0xFFFF) throw new IllegalArgumentException("packet longer than 65535 bytes: " + p.length);
      size += 2 + p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.putShort((short) packets.size());
    for (byte[] p : packets) {
      b.putShort((short) p.length);
      b.put(p);
    }
    return b.array();
  }

  /** {@code {"a":"subscribe","v":[TOKEN,...]}}. */
  public static String subscribeMessage(long... tokens) {
    return command("subscribe", null, tokens);
  }

  /** {@code {"a":"unsubscribe","v":[TOKEN,...]}}. */
  public static String unsubscribeMessage(long... tokens) {
    return command("unsubscribe", null, tokens);
  }

  /**
   * {@code {"a":"mode","v":["MODE",[TOKEN,...]]}}.
   *
   * @param mode {@code ltp}, {@code quote} or {@code full} (any case)
   */
  public static String modeMessage(String mode, long... tokens) {
    String m = mode.trim().toLowerCase(Locale.ROOT);
    if (!m.equals("ltp") && !m.equals("quote") && !m.equals("full")) {
      throw new IllegalArgumentException("mode must be ltp, quote or full, got '" + mode + "'");
    }
    return command("mode", m, tokens);
  }

  public static String modeMessage(KiteTick.Mode mode, long... tokens) {
    return command("mode", mode.wire(), tokens);
  }

  private static String command(String action, String mode, long[] tokens) {
    if (tokens.length == 0) throw new IllegalArgumentException("no tokens to " + action);
    StringBuilder sb = new StringBuilder(32 + tokens.length * 11).append("{\"a\":\"").append(action).append("\",\"v\":");
    if (mode != null) sb.append("[\"").append(mode).append("\",");
    sb.append('[');
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i] < 0 || tokens[i] > UINT32_MAX) throw new IllegalArgumentException("token out of the unsigned 32-bit range: " + tokens[i]);
      if (i > 0) sb.append(',');
      sb.append(tokens[i]);
    }
    sb.append(']');
    if (mode != null) sb.append(']');
    return sb.append('}').toString();
  }
}
