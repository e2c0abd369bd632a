package io.tickloom.protocol.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The byte reader gives what the text reader gives: the same rows, the same errors at the same lines. */
class LobsterMessagesBytesTest {

  /** Every row as text, or the error that stopped the reading. */
  static List<String> read(LobsterMessages m) {
    List<String> out = new ArrayList<>();
    try {
      while (m.next()) {
        out.add(m.line() + ":" + m.timeNanos() + "," + m.type() + "," + m.orderId() + "," + m.size() + "," + m.price() + "," + m.direction());
      }
    } catch (FormatException e) {
      out.add("error " + e.getMessage());
    }
    return out;
  }

  static void assertSame(String text) {
    List<String> slow = read(new LobsterMessages(new StringReader(text), "f.csv"));
    List<String> fast = read(new LobsterMessages(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "f.csv"));
    assertEquals(slow, fast, text.length() < 2_000 ? text : "(a long input)");
  }

  @Test
  void theSampleFilesReadTheSame() throws IOException {
    Path dir = Path.of(System.getProperty("tickloom.oracle", "../../shared/oracle"), "lobster");
    io.tickloom.protocol.testing.Prerequisites.oracle(Files.isDirectory(dir), "oracle data absent at " + dir.toAbsolutePath());
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().contains("_message_")).toList();
    }
    assertTrue(files.size() >= 2);
    for (Path f : files) {
      List<String> slow = read(new LobsterMessages(Files.newBufferedReader(f), f.toString()));
      List<String> fast = read(new LobsterMessages(Files.newInputStream(f), f.toString()));
      assertTrue(slow.size() > 1_000, f.toString());
      assertEquals(slow, fast, f.toString());
    }
  }

  @Test
  void oddAndBadRowsReadTheSame() {
    assertSame("time,type,orderId,size,price,direction\n34200.1,1,5,100,2238100,1\n");
    assertSame("34200.1,1,5,100,2238100,1\ntime,type,orderId,size,price,direction\n");
    assertSame("34200.1,1,5,100,2238100,1\r\n\r\n34200.2,3,5,100,2238100,1\r\n");
    assertSame(" 34200.1 ,1,5,100,2238100,1\n");
    assertSame("43002.632812672004,1,5,100,2238100,-1\n");
    assertSame("34200.1,1,5,0,2238100,1\n");
    assertSame("34200.1,8,5,1,2238100,1\n");
    assertSame("34200.1,7,0,0,-1,1\n34200.2,7,0,0,2,1\n");
    assertSame("34200.1,1,5,100,2238100,0\n");
    assertSame("34200.1,1,5,100,2238100\n");
    assertSame("34200.1,1,5,100,2238100,1,9\n");
    assertSame("-1,1,5,100,2238100,1\n");
    assertSame("1e5,1,5,100,2238100,1\n");
    assertSame("34200.,1,5,100,2238100,1\n");
    assertSame("34200.1,1,99999999999999999999,100,2238100,1\n");
    assertSame("34200.1,1,5,100,2238100,1");
    assertSame("");
    assertSame("34200.1,1,5,100,2238100,1\n" + "9".repeat(70_000) + "\n");
  }

  @Test
  void loneCarriageReturnsEndLinesInBothReaders() {
    // found by LobsterMessagesFuzzTest: the byte reader took a lone CR for part of the line, the text reader for a
    // line end, so rows and error line numbers differed
    assertSame("time,type,orderId,sctino\r 34200.' ,1,5,100,2238100,1\r\n\r\n43002.632812672004,4,5,100,2238100,-1\n");
    assertSame("34200.1,1,5,100,2238100,1\r34200.2,3,5,100,2238100,1\r\r34200.3,1,6,1,1,-1\r");
    assertSame("time,type,orderId,size,price,direction\r34200.1,1,5,100,2238100,1\rx\r34200.2,1,5,100,2238100,1");
    // a CR LF split by the reader's 128 KiB buffer is one line end, not two
    String row = "34200.1,1,5,100,2238100,1";
    assertSame("\n".repeat((1 << 17) - 1 - row.length()) + row + "\r\n" + row + "x\n");
    assertSame("\n".repeat((1 << 17) - 1 - row.length()) + row + "\r" + row + "x\n");
  }

  @Test
  void fuzzedFilesReadTheSame() {
    SplittableRandom rnd = new SplittableRandom(7);
    String[] junk = {"", " ", "x", "-", ".", ",", "1.5", "-0", "+1", "00", "\t", "1e3", "9999999999", "é"};
    for (int f = 0; f < 3_000; f++) {
      StringBuilder sb = new StringBuilder();
      int rows = 1 + rnd.nextInt(6);
      for (int r = 0; r < rows; r++) {
        String[] fields = {
            rnd.nextInt(86_400) + "." + String.format("%09d", rnd.nextInt(1_000_000_000)).substring(0, 1 + rnd.nextInt(9)),
            Integer.toString(1 + rnd.nextInt(7)), Long.toString(rnd.nextLong(100_000_000L)),
            Integer.toString(rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(500)), Long.toString(rnd.nextLong(-2, 30_000_000L)),
            rnd.nextBoolean() ? "1" : "-1"};
        if (rnd.nextInt(4) == 0) fields[rnd.nextInt(6)] = junk[rnd.nextInt(junk.length)];
        if (rnd.nextInt(20) == 0) sb.append('\n');
        sb.append(String.join(",", fields)).append(rnd.nextInt(10) == 0 ? "\r\n" : "\n");
      }
      assertSame(sb.toString());
    }
  }
}
