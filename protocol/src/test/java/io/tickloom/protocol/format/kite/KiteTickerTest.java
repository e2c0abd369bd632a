package io.tickloom.protocol.format.kite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickloom.protocol.Fixed;
import io.tickloom.protocol.format.FormatException;
import io.tickloom.protocol.testing.Prerequisites;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Kite ticker codec against Zerodha's own mock packets and their decoded JSON (oracle README §4a; the folder
 * comes from {@code tickloom.oracle}, tests needing it are skipped when absent), plus framing, hand-made packets of
 * every layout, and seeded fuzzing.
 */
class KiteTickerTest {
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final String MOCKS = "nse/kite_mocks";
  private static final long INFY = 408065;

  private static Path mocks() {
    String configured = System.getProperty("tickloom.oracle");
    Path dir = (configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("../../shared/oracle")).resolve(MOCKS);
    Prerequisites.oracle(Files.isRegularFile(dir.resolve("ticker_full.packet")),
        "oracle data absent: " + dir.toAbsolutePath().normalize() + " has no ticker_full.packet (set -Dtickloom.oracle=DIR);"
            + " the hand-made packets below cover the same layouts");
    return dir;
  }

  private static byte[] packet(Path dir, String name) throws IOException {
    return Base64.getMimeDecoder().decode(Files.readString(dir.resolve(name)).trim());
  }

  private static JsonNode json(Path dir, String name) throws IOException {
    return JSON.readTree(dir.resolve(name).toFile());
  }

  private static void assertPrice(JsonNode want, long got, int scale, String field) {
    assertTrue(want.isNumber(), field + " is a number in the JSON");
    BigDecimal w = want.decimalValue();
    BigDecimal g = Fixed.toBigDecimal(got, scale);
    assertEquals(0, w.compareTo(g), field + ": JSON " + w + ", decoded " + g);
  }

  private static void assertCount(JsonNode want, long got, String field) {
    assertTrue(want.canConvertToExactIntegral() || want.isIntegralNumber(), field + " is an integer in the JSON");
    assertEquals(want.longValue(), got, field);
  }

  private static void assertTime(JsonNode want, long gotEpochSeconds, String field) {
    assertEquals(OffsetDateTime.parse(want.asText()).toInstant().getEpochSecond(), gotEpochSeconds, field);
  }

  /** Compares every field of a Kite-decoded JSON tick except {@code change}; fails on fields it does not know. */
  private static void assertMatches(JsonNode want, KiteTick t) {
    Set<String> seen = new HashSet<>();
    int s = t.priceScale();
    for (Iterator<String> it = want.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      JsonNode v = want.get(f);
      seen.add(f);
      switch (f) {
        case "mode" -> assertEquals(v.asText(), t.mode().wire(), f);
        case "tradable" -> assertEquals(v.asBoolean(), t.tradable(), f);
        case "instrument_token" -> assertCount(v, t.token(), f);
        case "last_price" -> assertPrice(v, t.lastPrice(), s, f);
        case "last_quantity" -> assertCount(v, t.lastQty(), f);
        case "average_price" -> assertPrice(v, t.avgPrice(), s, f);
        case "volume" -> assertCount(v, t.volume(), f);
        case "buy_quantity" -> assertCount(v, t.buyQty(), f);
        case "sell_quantity" -> assertCount(v, t.sellQty(), f);
        case "ohlc" -> {
          assertEquals(4, v.size(), "ohlc fields");
          assertPrice(v.get("open"), t.open(), s, "open");
          assertPrice(v.get("high"), t.high(), s, "high");
          assertPrice(v.get("low"), t.low(), s, "low");
          assertPrice(v.get("close"), t.close(), s, "close");
        }
        case "last_trade_time" -> assertTime(v, t.lastTradeTime(), f);
        case "timestamp" -> assertTime(v, t.exchangeTimestamp(), f);
        case "oi" -> assertCount(v, t.oi(), f);
        case "oi_day_high" -> assertCount(v, t.oiDayHigh(), f);
        case "oi_day_low" -> assertCount(v, t.oiDayLow(), f);
        case "depth" -> {
          assertEquals(2, v.size(), "depth sides");
          assertDepth(v.get("buy"), t.bids(), s, "buy");
          assertDepth(v.get("sell"), t.asks(), s, "sell");
        }
        case "change" -> { } // excluded: the mocks carry the full packet's absolute change in both files (README §4a)
        default -> throw new AssertionError("JSON field not compared: " + f);
      }
    }
    assertTrue(seen.contains("instrument_token") && seen.contains("last_price"), "JSON looks like a tick: " + seen);
  }

  private static void assertDepth(JsonNode want, List<KiteDepth> got, int scale, String side) {
    assertEquals(want.size(), got.size(), side + " levels");
    for (int i = 0; i < want.size(); i++) {
      JsonNode w = want.get(i);
      assertEquals(3, w.size(), side + " " + i + " fields");
      assertPrice(w.get("price"), got.get(i).price(), scale, side + " " + i + " price");
      assertCount(w.get("quantity"), got.get(i).qty(), side + " " + i + " quantity");
      assertCount(w.get("orders"), got.get(i).orders(), side + " " + i + " orders");
    }
  }

  @Test
  void fullPacketDecodesToZerodhasJson() throws IOException {
    Path dir = mocks();
    byte[] p = packet(dir, "ticker_full.packet");
    assertEquals(KiteTicker.FULL_LENGTH, p.length);
    KiteTick t = KiteTicker.decodePacket(ByteBuffer.wrap(p));
    assertMatches(json(dir, "ticker_full.json"), t);
    assertEquals(KiteTick.Mode.FULL, t.mode());
    assertEquals(2, t.priceScale());
    assertEquals(157_370, t.lastPrice());
    assertEquals(157_340, t.bestBid());
    assertEquals(157_370, t.bestAsk());
  }

  @Test
  void quotePacketDecodesToZerodhasJson() throws IOException {
    Path dir = mocks();
    byte[] p = packet(dir, "ticker_quote.packet");
    assertEquals(KiteTicker.QUOTE_LENGTH, p.length);
    KiteTick t = KiteTicker.decodePacket(ByteBuffer.wrap(p));
    assertMatches(json(dir, "ticker_quote.json"), t);
    assertEquals(0, t.lastTradeTime());
    assertEquals(0, t.exchangeTimestamp());
    assertTrue(t.bids().isEmpty() && t.asks().isEmpty());
  }

  @Test
  void ltpPacketBuiltFromZerodhasJsonRoundTrips() throws IOException {
    Path dir = mocks();
    JsonNode want = json(dir, "ticker_ltp.json");
    long token = want.get("instrument_token").longValue();
    long paise = want.get("last_price").decimalValue().movePointRight(2).longValueExact();
    byte[] p = ByteBuffer.allocate(8).putInt((int) token).putInt((int) paise).array();
    KiteTick t = KiteTicker.decodePacket(ByteBuffer.wrap(p));
    assertMatches(want, t);
    assertEquals(KiteTick.ltp(token, paise), t);
    assertArrayEquals(p, KiteTicker.encodePacket(t));
  }

  @Test
  void mockPacketsReencodeByteForByteExceptTheirFraming() throws IOException {
    Path dir = mocks();
    for (String name : List.of("ticker_full.packet", "ticker_quote.packet")) {
      byte[] p = packet(dir, name);
      assertArrayEquals(p, KiteTicker.encodePacket(KiteTicker.decodePacket(ByteBuffer.wrap(p))), name);
    }
  }

  @Test
  void framedMessageOfTheMockPacketsDecodesInOrder() throws IOException {
    Path dir = mocks();
    byte[] full = packet(dir, "ticker_full.packet");
    byte[] quote = packet(dir, "ticker_quote.packet");
    byte[] message = KiteTicker.encodeMessage(List.of(full, quote));
    assertEquals(2 + 2 + 184 + 2 + 44, message.length);
    List<KiteTick> ticks = KiteTicker.decodeMessage(ByteBuffer.wrap(message));
    assertEquals(List.of(KiteTicker.decodePacket(ByteBuffer.wrap(full)), KiteTicker.decodePacket(ByteBuffer.wrap(quote))), ticks);
    assertMatches(json(dir, "ticker_full.json"), ticks.get(0));
    assertMatches(json(dir, "ticker_quote.json"), ticks.get(1));
  }

  private static KiteTick sampleFull(long token) {
    int s = KiteTicker.priceScale(token);
    List<KiteDepth> bids = new ArrayList<>();
    List<KiteDepth> asks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      bids.add(new KiteDepth(10 + i, 157_340 - 5 * i, 1 + i));
      asks.add(new KiteDepth(20 + i, 157_370 + 5 * i, 2 + i));
    }
    return new KiteTick(token, KiteTick.Mode.FULL, KiteTicker.isTradable(token), s, 157_370, 7, 157_037, 1_192_471, 256_443,
        363_009, 156_915, 157_500, 156_105, 156_780, 1_625_461_887, 11, 12, 10, 1_625_461_888, bids, asks);
  }

  @Test
  void everyTradableLayoutRoundTrips() {
    KiteTick full = sampleFull(INFY);
    byte[] p = KiteTicker.encodePacket(full);
    assertEquals(KiteTicker.FULL_LENGTH, p.length);
    assertEquals(full, KiteTicker.decodePacket(ByteBuffer.wrap(p)));

    KiteTick quote = new KiteTick(INFY, KiteTick.Mode.QUOTE, true, 2, 157_315, 1, 157_033, 1_175_986, 256_511, 360_503,
        156_915, 157_500, 156_105, 156_780, 0, 0, 0, 0, 0, List.of(), List.of());
    p = KiteTicker.encodePacket(quote);
    assertEquals(KiteTicker.QUOTE_LENGTH, p.length);
    assertEquals(quote, KiteTicker.decodePacket(ByteBuffer.wrap(p)));
  }

  @Test
  void indexPacketsAreNotTradableAndCarryOhlcInTheirOwnOrder() {
    long nifty = 256265; // 256265 & 0xff == 9
    assertEquals(KiteTicker.SEGMENT_INDICES, KiteTicker.segment(nifty));
    ByteBuffer b = ByteBuffer.allocate(32);
    b.putInt((int) nifty).putInt(2_310_005).putInt(2_320_000).putInt(2_300_000).putInt(2_305_000).putInt(2_301_000)
        .putInt(9_005).putInt(1_768_448_701);
    KiteTick full = KiteTicker.decodePacket(ByteBuffer.wrap(b.array()));
    assertFalse(full.tradable());
    assertEquals(KiteTick.Mode.FULL, full.mode());
    assertEquals(2_310_005, full.lastPrice());
    assertEquals(2_305_000, full.open());
    assertEquals(2_320_000, full.high());
    assertEquals(2_300_000, full.low());
    assertEquals(2_301_000, full.close());
    assertEquals(1_768_448_701, full.exchangeTimestamp());
    assertEquals(0, full.volume());
    assertArrayEquals(b.array(), KiteTicker.encodePacket(full));

    KiteTick quote = KiteTicker.decodePacket(ByteBuffer.wrap(Arrays.copyOf(b.array(), 28)));
    assertEquals(KiteTick.Mode.QUOTE, quote.mode());
    assertEquals(0, quote.exchangeTimestamp());
    assertEquals(2_301_000, quote.close());
  }

  @Test
  void aFullLengthPacketOfAnIndexTokenDecodesByItsLength() {
    // found by KiteTickerFuzzTest: KiteTick's javadoc promised depth for tradable full packets only, but the layout
    // follows the length, so a 184-byte packet of an index token has its 5 levels a side too (the javadoc now says so)
    ByteBuffer b = ByteBuffer.allocate(KiteTicker.FULL_LENGTH);
    b.putInt(256265).putInt(2_310_005);
    b.putInt(64, 10).putInt(64 + 4, 2_309_995); // first bid: qty 10 at 23099.95
    KiteTick t = KiteTicker.decodePacket(ByteBuffer.wrap(b.array()));
    assertFalse(t.tradable());
    assertEquals(KiteTick.Mode.FULL, t.mode());
    assertEquals(KiteTicker.DEPTH_LEVELS, t.bids().size());
    assertEquals(KiteTicker.DEPTH_LEVELS, t.asks().size());
    assertEquals(new KiteDepth(10, 2_309_995, 0), t.bids().get(0));
  }

  @Test
  void currencySegmentsHaveTheirOwnScales() {
    long cds = (1234L << 8) | KiteTicker.SEGMENT_CDS;
    long bcd = (1234L << 8) | KiteTicker.SEGMENT_BCD;
    assertEquals(7, KiteTicker.decodePacket(ByteBuffer.wrap(KiteTicker.encodePacket(KiteTick.ltp(cds, 831_234_500)))).priceScale());
    assertEquals(4, KiteTick.ltp(bcd, 831_234).priceScale());
    assertEquals(2, KiteTick.ltp(INFY, 1).priceScale());
    assertTrue(KiteTick.ltp(cds, 1).tradable());
  }

  @Test
  void unsignedFieldsAboveTwoToThe31AreNotNegative() {
    byte[] p = ByteBuffer.allocate(8).putInt(0xFFFF_FF01).putInt(0x8000_0000).array();
    KiteTick t = KiteTicker.decodePacket(ByteBuffer.wrap(p));
    assertEquals(0xFFFF_FF01L, t.token());
    assertEquals(0x8000_0000L, t.lastPrice());
  }

  @Test
  void heartbeatsAndEmptyMessagesHaveNoTicks() {
    assertEquals(List.of(), KiteTicker.decodeMessage(ByteBuffer.wrap(new byte[] {0})));
    assertEquals(List.of(), KiteTicker.decodeMessage(ByteBuffer.wrap(new byte[] {0, 0})));
    assertEquals(List.of(), KiteTicker.decodeMessage(ByteBuffer.wrap(KiteTicker.encodeMessage(List.of()))));
    FormatException e = assertThrows(FormatException.class, () -> KiteTicker.decodeMessage(ByteBuffer.allocate(0)));
    assertEquals(0, e.line());
    assertEquals(KiteTicker.SOURCE, e.source());
  }

  @Test
  void decodingLeavesTheCallersBufferAlone() {
    byte[] message = KiteTicker.encodeMessage(List.of(KiteTicker.encodePacket(KiteTick.ltp(INFY, 5)), KiteTicker.encodePacket(sampleFull(INFY))));
    ByteBuffer b = ByteBuffer.allocate(message.length + 3).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 9).put(message).put((byte) 9).put((byte) 9);
    b.position(1).limit(1 + message.length);
    List<KiteTick> ticks = KiteTicker.decodeMessage(b);
    assertEquals(List.of(KiteTick.ltp(INFY, 5), sampleFull(INFY)), ticks);
    assertEquals(1, b.position());
    assertEquals(1 + message.length, b.limit());
    ByteBuffer packet = ByteBuffer.wrap(message, 4, 8).slice().order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(KiteTick.ltp(INFY, 5), KiteTicker.decodePacket(packet));
  }

  @Test
  void malformedMessagesNameThePacketAndTheReason() {
    byte[] ltp = KiteTicker.encodePacket(KiteTick.ltp(INFY, 5));
    byte[] two = KiteTicker.encodeMessage(List.of(ltp, ltp));

    FormatException cut = assertThrows(FormatException.class, () -> KiteTicker.decodeMessage(ByteBuffer.wrap(two, 0, two.length - 1)));
    assertEquals(2, cut.line());
    assertTrue(cut.reason().contains("declares 8 bytes, only 7 remain"), cut.reason());

    FormatException noLength = assertThrows(FormatException.class, () -> KiteTicker.decodeMessage(ByteBuffer.wrap(two, 0, 13)));
    assertEquals(2, noLength.line());
    assertTrue(noLength.reason().contains("no length for packet 2 of 2"), noLength.reason());

    byte[] odd = KiteTicker.encodeMessage(List.of(ltp, new byte[17]));
    FormatException unknown = assertThrows(FormatException.class, () -> KiteTicker.decodeMessage(ByteBuffer.wrap(odd)));
    assertEquals(2, unknown.line());
    assertTrue(unknown.reason().contains("unknown packet length 17"), unknown.reason());

    byte[] trailing = Arrays.copyOf(two, two.length + 2);
    FormatException extra = assertThrows(FormatException.class, () -> KiteTicker.decodeMessage(ByteBuffer.wrap(trailing)));
    assertEquals(0, extra.line());
    assertTrue(extra.reason().contains("2 bytes after the last of 2 packets"), extra.reason());

    byte[] huge = {(byte) 0xFF, (byte) 0xFF, 0, 8, 0, 0, 0, 1, 0, 0, 0, 1};
    FormatException many = assertThrows(FormatException.class, () -> KiteTicker.decodeMessage(ByteBuffer.wrap(huge)));
    assertEquals(2, many.line());

    assertEquals(1, assertThrows(FormatException.class, () -> KiteTicker.decodePacket(ByteBuffer.allocate(0))).line());
  }

  @Test
  void everyTruncationOfAValidMessageDecodesOrFailsCleanly() {
    byte[] message = KiteTicker.encodeMessage(List.of(KiteTicker.encodePacket(sampleFull(INFY)),
        KiteTicker.encodePacket(KiteTick.ltp(INFY, 5)), KiteTicker.encodePacket(sampleFull(256265))));
    assertEquals(3, KiteTicker.decodeMessage(ByteBuffer.wrap(message)).size());
    for (int n = 0; n < message.length; n++) {
      ByteBuffer cut = ByteBuffer.wrap(message, 0, n);
      if (n == 1) {
        assertTrue(KiteTicker.decodeMessage(cut).isEmpty(), "1 byte is a heartbeat");
        continue;
      }
      int length = n;
      assertThrows(FormatException.class, () -> KiteTicker.decodeMessage(cut), () -> "prefix of " + length + " bytes");
    }
  }

  @Test
  void seededRandomAndMutatedBytesDecodeOrThrowFormatExceptionOnly() {
    Random random = new Random(20260818L);
    byte[] valid = KiteTicker.encodeMessage(List.of(KiteTicker.encodePacket(sampleFull(INFY)),
        KiteTicker.encodePacket(KiteTick.ltp(INFY, 5)), KiteTicker.encodePacket(sampleFull(256265))));
    int decoded = 0;
    int refused = 0;
    for (int iteration = 0; iteration < 20_000; iteration++) {
      byte[] bytes;
      switch (iteration % 4) {
        case 0 -> {
          bytes = new byte[random.nextInt(300)];
          random.nextBytes(bytes);
        }
        case 1 -> { // plausible framing, random lengths and contents
          ByteBuffer b = ByteBuffer.allocate(600);
          int count = random.nextInt(4);
          b.putShort((short) count);
          for (int i = 0; i < count; i++) {
            int[] lengths = {8, 28, 32, 44, 184, random.nextInt(200)};
            int len = lengths[random.nextInt(lengths.length)];
            if (b.remaining() < 2 + len) break;
            b.putShort((short) (random.nextInt(10) == 0 ? random.nextInt(65536) : len));
            byte[] body = new byte[len];
            random.nextBytes(body);
            b.put(body);
          }
          bytes = Arrays.copyOf(b.array(), b.position() - (random.nextInt(5) == 0 ? Math.min(b.position(), random.nextInt(10)) : 0));
        }
        default -> { // a valid message with a few bytes flipped
          bytes = valid.clone();
          for (int k = 1 + random.nextInt(4); k > 0; k--) bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
      }
      try {
        List<KiteTick> ticks = KiteTicker.decodeMessage(ByteBuffer.wrap(bytes));
        for (KiteTick t : ticks) assertTrue(t.token() >= 0 && t.lastPrice() >= 0 && t.volume() >= 0);
        decoded++;
      } catch (FormatException e) {
        assertTrue(e.line() >= 0 && !e.reason().isBlank());
        refused++;
      }
    }
    assertTrue(decoded > 1_000 && refused > 1_000, "both outcomes exercised: " + decoded + " decoded, " + refused + " refused");
  }

  @Test
  void randomTicksRoundTripThroughPacketsAndMessages() {
    Random random = new Random(7);
    for (int iteration = 0; iteration < 2_000; iteration++) {
      List<KiteTick> ticks = new ArrayList<>();
      List<byte[]> packets = new ArrayList<>();
      for (int i = random.nextInt(5); i > 0; i--) {
        KiteTick t = randomTick(random);
        ticks.add(t);
        packets.add(KiteTicker.encodePacket(t));
      }
      assertEquals(ticks, KiteTicker.decodeMessage(ByteBuffer.wrap(KiteTicker.encodeMessage(packets))));
    }
  }

  private static long u32(Random r) {
    return r.nextLong() & 0xFFFF_FFFFL;
  }

  private static KiteTick randomTick(Random r) {
    long token = u32(r);
    KiteTick.Mode mode = KiteTick.Mode.values()[r.nextInt(3)];
    int s = KiteTicker.priceScale(token);
    boolean tradable = KiteTicker.isTradable(token);
    if (mode == KiteTick.Mode.LTP) return KiteTick.ltp(token, u32(r));
    boolean full = mode == KiteTick.Mode.FULL;
    if (!tradable) {
      return new KiteTick(token, mode, false, s, u32(r), 0, 0, 0, 0, 0, u32(r), u32(r), u32(r), u32(r), 0, 0, 0, 0,
          full ? u32(r) : 0, List.of(), List.of());
    }
    List<KiteDepth> bids = new ArrayList<>();
    List<KiteDepth> asks = new ArrayList<>();
    if (full) {
      for (int i = 0; i < 5; i++) {
        bids.add(new KiteDepth(u32(r), u32(r), r.nextInt(65536)));
        asks.add(new KiteDepth(u32(r), u32(r), r.nextInt(65536)));
      }
    }
    return new KiteTick(token, mode, true, s, u32(r), u32(r), u32(r), u32(r), u32(r), u32(r), u32(r), u32(r), u32(r), u32(r),
        full ? u32(r) : 0, full ? u32(r) : 0, full ? u32(r) : 0, full ? u32(r) : 0, full ? u32(r) : 0, bids, asks);
  }

  @Test
  void encodingRefusesValuesItCannotCarry() {
    assertThrows(IllegalArgumentException.class, () -> KiteTicker.encodePacket(KiteTick.ltp(INFY, 1L << 32)));
    assertThrows(IllegalArgumentException.class, () -> KiteTicker.encodePacket(KiteTick.ltp(INFY, -1)));
    KiteTick wrongScale = new KiteTick(INFY, KiteTick.Mode.LTP, true, 4, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null);
    assertThrows(IllegalArgumentException.class, () -> KiteTicker.encodePacket(wrongScale));
    List<KiteDepth> six = new ArrayList<>(sampleFull(INFY).bids());
    six.add(new KiteDepth(1, 1, 1));
    KiteTick deep = new KiteTick(INFY, KiteTick.Mode.FULL, true, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, six, List.of());
    assertThrows(IllegalArgumentException.class, () -> KiteTicker.encodePacket(deep));
    assertThrows(IllegalArgumentException.class, () -> KiteTicker.encodeMessage(List.of(new byte[70_000])));
    assertThrows(IllegalArgumentException.class, () -> KiteTick.ltp(-1, 1));
  }

  @Test
  void shallowDepthIsPaddedWithEmptyLevels() {
    KiteTick one = new KiteTick(INFY, KiteTick.Mode.FULL, true, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        List.of(new KiteDepth(3, 100, 1)), List.of());
    KiteTick back = KiteTicker.decodePacket(ByteBuffer.wrap(KiteTicker.encodePacket(one)));
    assertEquals(5, back.bids().size());
    assertEquals(new KiteDepth(3, 100, 1), back.bids().get(0));
    assertEquals(new KiteDepth(0, 0, 0), back.bids().get(4));
    assertEquals(0, back.bestAsk());
  }

  @Test
  void subscriptionMessagesAreKitesJson() throws IOException {
    assertEquals("{\"a\":\"subscribe\",\"v\":[408065,884737]}", KiteTicker.subscribeMessage(408065, 884737));
    assertEquals("{\"a\":\"unsubscribe\",\"v\":[408065]}", KiteTicker.unsubscribeMessage(408065));
    assertEquals("{\"a\":\"mode\",\"v\":[\"full\",[408065,884737]]}", KiteTicker.modeMessage("FULL", 408065, 884737));
    assertEquals("{\"a\":\"mode\",\"v\":[\"ltp\",[1]]}", KiteTicker.modeMessage(KiteTick.Mode.LTP, 1));
    JsonNode parsed = JSON.readTree(KiteTicker.modeMessage("quote", 4294967295L));
    assertEquals(4294967295L, parsed.get("v").get(1).get(0).longValue());
    assertThrows(IllegalArgumentException.class, () -> KiteTicker.modeMessage("depth", 1));
    assertThrows(IllegalArgumentException.class, () -> KiteTicker.subscribeMessage());
    assertThrows(IllegalArgumentException.class, () -> KiteTicker.subscribeMessage(-1));
  }
}
