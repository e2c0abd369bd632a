package io.tickloom.protocol.format.kite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tickloom.protocol.format.FormatException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of the Kite binary ticker codec: whatever the bytes, {@link KiteTicker#decodeMessage}
 * returns ticks or throws a {@link FormatException} with source {@value KiteTicker#SOURCE} and a packet index
 * within the declared count; the caller's buffer is left untouched; every decoded tick has the token's scale,
 * 5 depth levels a side exactly when it came in a 184-byte packet, and re-encodes to a packet that decodes to the
 * same tick (and to the same bytes for the layouts that keep every byte). Seeds in
 * {@code KiteTickerFuzzTestInputs/decodeMessage}.
 */
class KiteTickerFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void decodeMessage(byte[] message) {
    ByteBuffer in = ByteBuffer.wrap(message);
    List<KiteTick> ticks;
    try {
      ticks = KiteTicker.decodeMessage(in);
    } catch (FormatException e) {
      assertEquals(KiteTicker.SOURCE, e.source());
      assertFalse(e.reason().isBlank());
      int declared = message.length >= 2 ? ((message[0] & 0xff) << 8) | (message[1] & 0xff) : 0;
      assertTrue(e.line() >= 0 && e.line() <= declared, e.getMessage());
      return;
    } finally {
      assertEquals(0, in.position(), "the caller's buffer is untouched");
      assertEquals(message.length, in.limit());
    }
    if (message.length <= 2) assertTrue(ticks.isEmpty());
    List<byte[]> packets = new ArrayList<>();
    int at = 4; // count, then the first packet's length
    for (KiteTick t : ticks) {
      assertEquals(KiteTicker.priceScale(t.token()), t.priceScale());
      assertEquals(KiteTicker.isTradable(t.token()), t.tradable());
      int length = (message[at - 2] & 0xff) << 8 | (message[at - 1] & 0xff);
      boolean depth = length == KiteTicker.FULL_LENGTH; // the layout follows the length, whatever the segment
      assertEquals(depth ? KiteTicker.DEPTH_LEVELS : 0, t.bids().size());
      assertEquals(depth ? KiteTicker.DEPTH_LEVELS : 0, t.asks().size());

      byte[] original = java.util.Arrays.copyOfRange(message, at, at + length);
      at += length + 2;
      if (t.tradable() != (length >= KiteTicker.QUOTE_LENGTH) && length != KiteTicker.LTP_LENGTH) {
        // an index layout with a tradable token (or the reverse): decodes, but re-encodes in the token's layout
        continue;
      }
      byte[] again = KiteTicker.encodePacket(t);
      assertEquals(t, KiteTicker.decodePacket(ByteBuffer.wrap(again)), "encode then decode gives the tick back");
      if (length == KiteTicker.LTP_LENGTH || length == KiteTicker.QUOTE_LENGTH) {
        assertArrayEquals(original, again, "these layouts keep every byte");
      }
      packets.add(again);
    }
    if (packets.size() == ticks.size()) {
      assertEquals(ticks, KiteTicker.decodeMessage(ByteBuffer.wrap(KiteTicker.encodeMessage(packets))));
    }
  }
}
