package io.tickloom.protocol.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * TA-Lib's own regression vectors (oracle README §5a): the 252-bar reference series and the expected values of
 * {@code talib_expected.csv}, within the file's tolerance (0.01, TA-Lib's own {@code TA_REAL_EQ}). Every row whose
 * function and compatibility we implement is reproduced at its {@code bar_index = expected_beg_idx + out_index},
 * and our first output index must equal {@code expected_beg_idx} (our lookback = TA-Lib's). The other rows are
 * counted as not applicable, each with the reason.
 */
class TaLibOracleTest {
  private static final String INPUT = "indicators/talib/talib_regtest_input_252.csv";
  private static final String EXPECTED = "indicators/talib/talib_expected.csv";

  /** Reasons for the rows of conventions or functions Tickloom does not offer (keyed by function/compat/matype). */
  private static String notApplicable(String function, String compatibility, Map<String, String> params) {
    return switch (function) {
      case "WMA" -> "WMA is not a Tickloom indicator";
      case "DEMA", "TEMA" -> "DEMA/TEMA are not Tickloom indicators (and these rows use METASTOCK seeding)";
      case "CMO" -> "CMO is not a Tickloom indicator";
      case "RSI" -> compatibility.equals("METASTOCK")
          ? "RSI METASTOCK adds a value at bar n-1; Tickloom follows DEFAULT (first value at bar n)" : null;
      case "EMA", "SMA", "MACD" -> compatibility.equals("DEFAULT") ? null : function + " " + compatibility + " seeding";
      case "BBANDS" -> !params.get("matype").equals("SMA") || !compatibility.equals("DEFAULT")
          ? "BBANDS with an EMA middle band (METASTOCK); Tickloom's BB_n_k has an SMA middle band"
          : !params.get("nbdevup").equals(params.get("nbdevdn")) ? "asymmetric BBANDS multipliers" : null;
      default -> "unknown function " + function;
    };
  }

  /** Our kernel for an applicable row and the index of the row's output among its outputs. */
  private static Indicator kernel(String function, Map<String, String> p) {
    return switch (function) {
      case "SMA" -> new Sma(Integer.parseInt(p.get("timeperiod")));
      case "EMA" -> new Ema(Integer.parseInt(p.get("timeperiod")));
      case "RSI" -> new Rsi(Integer.parseInt(p.get("timeperiod")));
      case "MACD" -> new Macd(Integer.parseInt(p.get("fastperiod")), Integer.parseInt(p.get("slowperiod")),
          Integer.parseInt(p.get("signalperiod")));
      case "BBANDS" -> new BollingerBands(Integer.parseInt(p.get("timeperiod")), Double.parseDouble(p.get("nbdevup")));
      default -> throw new IllegalArgumentException(function);
    };
  }

  private static int outputIndex(String output) {
    return switch (output) {
      case "real", "macd", "middleband" -> 0;
      case "macdsignal", "upperband" -> 1;
      case "macdhist", "lowerband" -> 2;
      default -> throw new IllegalArgumentException(output);
    };
  }

  static Series talibInput(Path file) {
    List<Map<String, String>> rows = OracleFiles.csv(file, 0);
    Series s = new Series(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Map<String, String> r = rows.get(i);
      assertEquals(i, Integer.parseInt(r.get("index")));
      s.set(i, r.get("open"), r.get("high"), r.get("low"), r.get("close"), r.get("volume"));
    }
    return s;
  }

  static Map<String, String> params(String text) {
    Map<String, String> p = new HashMap<>();
    for (String kv : text.split(";")) {
      String[] t = kv.split("=");
      p.put(t[0], t[1]);
    }
    return p;
  }

  @Test
  void reproducesEveryTaLibVectorOfTheConventionsWeImplement() {
    Series input = talibInput(OracleFiles.require(INPUT));
    assertEquals(252, input.size);
    List<Map<String, String>> rows = OracleFiles.csv(OracleFiles.require(EXPECTED), 0);
    assertEquals(67, rows.size());

    int reproduced = 0;
    Map<String, Integer> skipped = new TreeMap<>();
    Map<String, double[][]> computed = new HashMap<>();
    for (Map<String, String> row : rows) {
      String function = row.get("function");
      String compatibility = row.get("compatibility");
      Map<String, String> params = params(row.get("params"));
      String reason = notApplicable(function, compatibility, params);
      if (reason != null) {
        skipped.merge(function + " " + compatibility + " " + row.get("params") + ": " + reason, 1, Integer::sum);
        continue;
      }
      String key = function + " " + row.get("params");
      double[][] values = computed.computeIfAbsent(key, k -> {
        Indicator ind = kernel(function, params);
        double[][] v = input.run(ind);
        int beg = Integer.parseInt(row.get("expected_beg_idx"));
        assertEquals(beg, ind.lookback(), key + " lookback");
        int first = 0;
        while (first < v.length && Double.isNaN(v[first][0])) first++;
        assertEquals(beg, first, key + ": first output index");
        assertEquals(Integer.parseInt(row.get("expected_nb_element")), Integer.parseInt(row.get("end_idx")) - first + 1,
            key + ": number of outputs");
        return v;
      });
      int bar = Integer.parseInt(row.get("bar_index"));
      assertEquals(Integer.parseInt(row.get("expected_beg_idx")) + Integer.parseInt(row.get("out_index")), bar);
      double expected = Double.parseDouble(row.get("expected"));
      double tolerance = Double.parseDouble(row.get("tolerance"));
      double ours = values[bar][outputIndex(row.get("output"))];
      assertTrue(Math.abs(ours - expected) <= tolerance,
          key + " " + row.get("output") + " at bar " + bar + ": TA-Lib " + expected + ", ours " + ours);
      reproduced++;
    }
    int notApplicable = skipped.values().stream().mapToInt(Integer::intValue).sum();
    StringBuilder summary = new StringBuilder("TA-Lib vectors: " + reproduced + " reproduced within 0.01, "
        + notApplicable + " not applicable:");
    skipped.forEach((why, n) -> summary.append("\n  ").append(n).append(" x ").append(why));
    System.out.println(summary);
    assertEquals(67, reproduced + notApplicable);
    // SMA 14 + EMA 7 + RSI DEFAULT 4 + MACD 3 + BBANDS(SMA) 3
    assertEquals(31, reproduced, summary.toString());
    assertNotNull(computed.get("MACD fastperiod=12;slowperiod=26;signalperiod=9"));
  }

  @Test
  void macdFastEmaStartsWhereTheSlowEmaStarts() {
    // TA-Lib seeds the fast EMA at bar s-1 on closes s-f..s-1 (README §5a). Seeding it at bar f-1 instead moves the
    // macd at bar 33 by far more than the 0.01 tolerance, so the vector above pins this convention down.
    Series input = talibInput(OracleFiles.require(INPUT));
    double[][] v = input.run(new Macd(12, 26, 9));
    // the textbook alternative: EMA_12 (from bar 11) minus EMA_26 (from bar 25)
    Ema fast = new Ema(12);
    Ema slow = new Ema(26);
    for (int i = 0; i <= 33; i++) {
      input.update(fast, i);
      input.update(slow, i);
    }
    double fastFromBar11 = fast.value(0) - slow.value(0);
    assertTrue(Math.abs(v[33][Macd.MACD] - -1.9738) <= 0.01);
    assertTrue(Math.abs(fastFromBar11 - -1.9738) > 0.01, "a fast EMA seeded at bar 11 gives " + fastFromBar11);
  }
}
