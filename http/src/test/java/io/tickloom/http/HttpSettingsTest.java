package io.tickloom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickloom.protocol.indicators.IndicatorSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The node's indicator list as the http module reads it ({@code tickloom.cluster.indicators.names}). */
class HttpSettingsTest {
  static HttpSettings settings(String conf) {
    Config http = ConfigFactory.parseResources("reference.conf").withOnlyPath("tickloom.http");
    return HttpSettings.fromConfig(ConfigFactory.parseString(conf).withFallback(http).resolve());
  }

  @Test
  void nodeIndicatorsAreTheDefaultSetWhenTheKeyIsAbsent() {
    assertEquals(IndicatorSet.DEFAULT_NAMES, settings("").nodeIndicators());
  }

  @Test
  void nodeIndicatorsReadAListOrACommaStringInCanonicalForm() {
    assertEquals(List.of("SMA_20", "BB_20_2"), settings("tickloom.cluster.indicators.names = [\"SMA_020\", \"BB_20_2.0\"]").nodeIndicators());
    assertEquals(List.of("RSI_14", "VWAP"), settings("tickloom.cluster.indicators.names = \"RSI_14, VWAP\"").nodeIndicators());
    assertEquals(List.of(), settings("tickloom.cluster.indicators.names = []").nodeIndicators());
  }

  @Test
  void aBadNodeIndicatorNameIsRefusedAtStart() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> settings("tickloom.cluster.indicators.names = [\"SMA_20\", \"FOO_3\"]"));
    assertTrue(e.getMessage().contains("FOO_3"), e.getMessage());
  }
}
