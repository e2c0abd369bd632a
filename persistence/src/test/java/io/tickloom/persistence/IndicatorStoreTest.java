package io.tickloom.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.persistence.IndicatorQueries.IndicatorRow;
import io.tickloom.protocol.Timeframe;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IndicatorStoreTest {
  static Database db;
  static IndicatorStore store;

  @BeforeAll
  static void open() {
    db = TestDatabase.fresh();
    store = new IndicatorStore(db);
  }

  @AfterAll
  static void close() {
    db.close();
  }

  static IndicatorRow row(long start, double... values) {
    return new IndicatorRow(7, Timeframe.M1, start, List.of("SMA_9", "MACD_12_26_9.signal", "RSI_14"), values);
  }

  @Test
  void valuesAreStoredRoundedTo8DecimalsWithoutTheUndefinedOnesAndTheLastComputationWins() {
    store.write(List.of(row(60, 101.123456789, Double.NaN, 55.5), row(120, 1e-9, -0.000000016, Double.NaN), row(60, 2, 3, 4)));
    store.write(List.of(row(180, 0.1 + 0.2, 1, 1)));
    List<IndicatorRow> rows = store.indicators(7, Timeframe.M1, 0, 1_000, 10);
    assertEquals(List.of(60L, 120L, 180L), rows.stream().map(IndicatorRow::start).toList());
    // Values go by name (jsonb keeps its own key order).
    IndicatorRow first = rows.get(0);
    assertArrayEquals(new double[] {2, 3, 4}, new double[] {first.value("SMA_9"), first.value("MACD_12_26_9.signal"), first.value("RSI_14")},
        "rewritten within one batch: the later row");
    assertEquals(java.util.Set.of("SMA_9", "MACD_12_26_9.signal"), java.util.Set.copyOf(rows.get(1).names()));
    assertEquals(0.0, rows.get(1).value("SMA_9"), "rounded to 8 decimals");
    assertEquals(-0.00000002, rows.get(1).value("MACD_12_26_9.signal"), "rounded to 8 decimals");
    assertEquals(0.3, rows.get(2).value("SMA_9"), "0.30000000000000004 rounds to the double of 0.3");
    assertTrue(Double.isNaN(rows.get(1).value("RSI_14")));
    assertEquals(List.of(120L, 180L), store.indicators(7, Timeframe.M1, 0, 1_000, 2).stream().map(IndicatorRow::start).toList());
    assertEquals(List.of(), store.indicators(7, Timeframe.M5, 0, 1_000, 10));
  }

  @Test
  void freshRowsAlreadyStoredFallBackToReplacingAndLoseNothing() {
    IndicatorRow a = new IndicatorRow(8, Timeframe.M1, 60, List.of("SMA_9"), new double[] {1});
    IndicatorRow b = new IndicatorRow(8, Timeframe.M1, 120, List.of("SMA_9"), new double[] {2});
    store.write(List.of(a, b), List.of());
    IndicatorRow a2 = new IndicatorRow(8, Timeframe.M1, 60, List.of("SMA_9"), new double[] {10});
    IndicatorRow c = new IndicatorRow(8, Timeframe.M1, 180, List.of("SMA_9"), new double[] {3});
    IndicatorRow b2 = new IndicatorRow(8, Timeframe.M1, 120, List.of("SMA_9"), new double[] {20});
    store.write(List.of(a2, c), List.of(b2)); // a2 claims to be fresh: the COPY fails, the batch is upserted
    List<IndicatorRow> rows = store.indicators(8, Timeframe.M1, 0, 1_000, 10);
    assertEquals(List.of(10.0, 20.0, 3.0), rows.stream().map(r -> r.value("SMA_9")).toList());
  }

  @Test
  void aSnapshotIsReplacedOnlyByANewerOne() {
    store.saveSnapshot(9, 100, new byte[] {1});
    store.saveSnapshot(9, 50, new byte[] {2});
    assertArrayEquals(new byte[] {1}, store.loadSnapshot(9).orElseThrow());
    store.saveSnapshot(9, 200, new byte[] {3});
    assertArrayEquals(new byte[] {3}, store.loadSnapshot(9).orElseThrow());
    assertTrue(store.loadSnapshot(10).isEmpty());
  }
}
