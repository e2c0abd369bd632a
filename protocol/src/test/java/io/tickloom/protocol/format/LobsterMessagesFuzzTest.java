package io.tickloom.protocol.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of {@link LobsterMessages}: the reader over bytes and the reader over text give the same
 * rows and the same errors at the same lines, reading on after each refused row; every row keeps the documented
 * value rules. Seeds in {@code LobsterMessagesFuzzTestInputs/read}.
 */
class LobsterMessagesFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void read(byte[] file) {
    List<String> text = read(new LobsterMessages(new InputStreamReader(new ByteArrayInputStream(file), StandardCharsets.UTF_8), FuzzRows.SOURCE));
    List<String> bytes = read(new LobsterMessages(new ByteArrayInputStream(file), FuzzRows.SOURCE));
    assertEquals(text, bytes, "the byte reader reads what the text reader reads");
  }

  /** Every row and every error, reading on after errors; checks the rows' rules on the way. */
  private static List<String> read(LobsterMessages m) {
    List<String> out = new ArrayList<>();
    long last = 0;
    while (true) {
      try {
        if (!m.next()) return out;
      } catch (FormatException e) {
        assertEquals(FuzzRows.SOURCE, e.source());
        assertTrue(e.line() > last && e.line() == m.line(), "error at " + e.line() + " after " + last + ": " + e.getMessage());
        last = e.line();
        out.add("error " + e.getMessage());
        continue;
      }
      assertTrue(m.line() > last);
      last = m.line();
      int type = m.type();
      assertTrue(type >= 1 && type <= 7, "type");
      assertTrue(m.direction() == 1 || m.direction() == -1, "direction");
      assertTrue(m.timeNanos() >= 0 && m.orderId() >= 0 && m.size() >= 0);
      if (type <= LobsterMessages.EXECUTE_VISIBLE) assertTrue(m.size() > 0 && m.price() > 0, "types 1-4: positive size and price");
      if (type == LobsterMessages.HALT) assertTrue(m.price() >= -1 && m.price() <= 1, "halt code");
      out.add(m.line() + ":" + m.timeNanos() + "," + type + "," + m.orderId() + "," + m.size() + "," + m.price() + "," + m.direction());
    }
  }
}
