package io.tickloom.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Timeframe;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BarStoreTest {
  static final long M = Timeframe.M1.nanos();

  Database db;
  BarStore store;

  @BeforeEach
  void open() {
    db = TestDatabase.fresh();
    store = new BarStore(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  static Bar bar(long token, Timeframe tf, long i, long close, int revision) {
    return new Bar(token, tf, i * tf.nanos(), (i + 1) * tf.nanos(), 100, 120 + close, 90, close, 1_000 + i, 7, 105, true, revision);
  }

  @Test
  void bars_returnTheLatestRevisionOfEachStart() {
    store.write(List.of(bar(1, Timeframe.M1, 0, 110, 0), bar(1, Timeframe.M1, 1, 111, 0), bar(1, Timeframe.M1, 2, 112, 0)));
    store.write(List.of(bar(1, Timeframe.M1, 1, 115, 1)));
    store.write(List.of(bar(1, Timeframe.M1, 1, 117, 2), bar(1, Timeframe.M5, 0, 500, 0)));
    assertEquals(List.of(bar(1, Timeframe.M1, 0, 110, 0), bar(1, Timeframe.M1, 1, 117, 2), bar(1, Timeframe.M1, 2, 112, 0)),
        store.bars(1, Timeframe.M1, 0, 10 * M, 100));
    assertEquals(List.of(bar(1, Timeframe.M5, 0, 500, 0)), store.bars(1, Timeframe.M5, 0, 10 * M, 100));
    assertTrue(store.bars(2, Timeframe.M1, 0, 10 * M, 100).isEmpty());
  }

  @Test
  void write_keepsEveryRevision() throws Exception {
    store.write(List.of(bar(1, Timeframe.M1, 0, 110, 0), bar(1, Timeframe.M1, 0, 111, 1), bar(1, Timeframe.M1, 0, 112, 2)));
    try (var c = db.dataSource().getConnection(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT revision, close FROM bars ORDER BY revision")) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) rows.add(rs.getInt(1) + ":" + rs.getLong(2));
      assertEquals(List.of("0:110", "1:111", "2:112"), rows);
    }
  }

  @Test
  void write_absorbsARepeatedRevision() {
    Bar first = bar(3, Timeframe.S1, 5, 110, 0);
    store.write(List.of(first));
    store.write(List.of(bar(3, Timeframe.S1, 5, 999, 0), bar(3, Timeframe.S1, 6, 111, 0), bar(3, Timeframe.S1, 6, 111, 0)));
    assertEquals(List.of(first, bar(3, Timeframe.S1, 6, 111, 0)), store.bars(3, Timeframe.S1, 0, Long.MAX_VALUE, 10));
  }

  @Test
  void bars_withMoreThanLimitReturnTheNewestOldestFirst() {
    List<Bar> in = new ArrayList<>();
    for (int i = 0; i < 50; i++) in.add(bar(4, Timeframe.M1, i, 100 + i, 0));
    in.add(bar(4, Timeframe.M1, 45, 1, 1));
    store.write(in);
    List<Bar> out = store.bars(4, Timeframe.M1, 0, 50 * M, 10);
    assertEquals(10, out.size());
    assertEquals(40 * M, out.get(0).start());
    assertEquals(49 * M, out.get(9).start());
    assertEquals(1, out.get(5).revision());
    assertEquals(List.of(in.get(20), in.get(21)), store.bars(4, Timeframe.M1, 20 * M, 22 * M, 10));
  }

  @Test
  void write_refusesFormingBars() {
    Bar b = bar(5, Timeframe.M1, 0, 1, 0);
    Bar forming = new Bar(b.token(), b.tf(), b.start(), b.end(), b.open(), b.high(), b.low(), b.close(), b.volume(), b.trades(), b.vwap(), false, 0);
    assertThrows(IllegalArgumentException.class, () -> store.write(List.of(forming)));
  }
}
