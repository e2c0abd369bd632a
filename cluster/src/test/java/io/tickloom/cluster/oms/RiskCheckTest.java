package io.tickloom.cluster.oms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** Each pre-trade rule: passes at the limit, refuses past it naming the rule and the numbers. */
class RiskCheckTest {
  static final RiskCheck.Market NSE = new RiskCheck.Market(250_000, 2, 0); // last 2500.00, whole shares

  static RiskCheck only(RiskLimits l) {
    return RiskCheck.uniform(l);
  }

  @Test
  void noLimitsPassEverything() {
    assertNull(only(RiskLimits.NONE).check("A", OrderType.LIMIT, Long.MAX_VALUE / 2, 1, NSE, 1_000_000));
  }

  @Test
  void maxQty() {
    RiskCheck r = only(RiskLimits.of("1000", "0", 0, 0, false));
    assertNull(r.check("A", OrderType.LIMIT, 1000, 250_000, NSE, 0));
    assertEquals("max-qty: qty 1001 > limit 1000", r.check("A", OrderType.LIMIT, 1001, 250_000, NSE, 0));
  }

  @Test
  void oneLimitInUnitsFitsInstrumentsOfEveryScale() {
    RiskCheck r = only(RiskLimits.of("100000", "50000000", 0, 0, false));
    assertEquals("max-qty: qty 100000000 > limit 100000", r.check("A", OrderType.LIMIT, 100_000_000, 250_000, NSE, 0),
        "a fat-finger 100 M shares");
    RiskCheck.Market btc = new RiskCheck.Market(6_000_000_000_000L, 8, 8);
    assertNull(r.check("A", OrderType.LIMIT, 50_000_000_000L, 6_000_000_000_000L, btc, 0), "500 BTC at 60,000: 30 M, within");
    assertEquals("max-qty: qty 9223372036854775807 > limit 100000", r.check("A", OrderType.LIMIT, Long.MAX_VALUE, 1, NSE, 0));
  }

  @Test
  void maxQtyIsShownAtTheQtyScale() {
    RiskCheck r = only(RiskLimits.of("1", "0", 0, 0, false));
    RiskCheck.Market btc = new RiskCheck.Market(6_000_000_000_000L, 8, 8);
    assertEquals("max-qty: qty 1.50000000 > limit 1.00000000", r.check("A", OrderType.MARKET, 150_000_000, 0, btc, 0));
  }

  @Test
  void maxNotionalValuesLimitOrdersAtTheirPrice() {
    RiskCheck r = only(RiskLimits.of("0", "1000000", 0, 0, false)); // 1,000,000.00
    assertNull(r.check("A", OrderType.LIMIT, 400, 250_000, NSE, 0)); // exactly 1,000,000.00
    assertEquals("max-notional: qty 401 x price 2500.00 = 1002500.00 > limit 1000000.00",
        r.check("A", OrderType.LIMIT, 401, 250_000, NSE, 0));
  }

  @Test
  void maxNotionalValuesMarketOrdersAtTheLastPrice() {
    RiskCheck r = only(RiskLimits.of("0", "1000000", 0, 0, false));
    RiskCheck.Market up = new RiskCheck.Market(300_000, 2, 0);
    assertEquals("max-notional: qty 400 x price 3000.00 = 1200000.00 > limit 1000000.00",
        r.check("A", OrderType.MARKET, 400, 0, up, 0));
    assertEquals("max-notional: no last price is known to value a MARKET order",
        r.check("A", OrderType.MARKET, 1, 0, new RiskCheck.Market(0, 2, 0), 0));
  }

  @Test
  void maxNotionalDoesNotOverflowOnEightDecimalScales() {
    // 2 BTC at 60000.00000000: qty x price overflows a long before the division by 10^8.
    RiskCheck r = only(RiskLimits.of("0", "100000", 0, 0, false)); // 100,000 USDT
    RiskCheck.Market btc = new RiskCheck.Market(6_000_000_000_000L, 8, 8);
    assertNull(r.check("A", OrderType.LIMIT, 100_000_000, 6_000_000_000_000L, btc, 0));
    assertEquals("max-notional: qty 2.00000000 x price 60000.00000000 = 120000.00000000 > limit 100000.00000000",
        r.check("A", OrderType.LIMIT, 200_000_000, 6_000_000_000_000L, btc, 0));
  }

  @Test
  void priceBandAroundTheLastPrice() {
    RiskCheck r = only(RiskLimits.of("0", "0", 200, 0, false)); // +-2%
    assertNull(r.check("A", OrderType.LIMIT, 1, 255_000, NSE, 0)); // exactly +2%
    assertNull(r.check("A", OrderType.LIMIT, 1, 245_000, NSE, 0)); // exactly -2%
    assertEquals("price-band: price 2550.01 is 200 bps from last price 2500.00 > band 200 bps",
        r.check("A", OrderType.LIMIT, 1, 255_001, NSE, 0));
    assertEquals("price-band: price 2400.00 is 400 bps from last price 2500.00 > band 200 bps",
        r.check("A", OrderType.SL, 1, 240_000, NSE, 0));
    // Unpriced orders have no limit price to band.
    assertNull(r.check("A", OrderType.MARKET, 1, 0, NSE, 0));
  }

  @Test
  void priceBandWithoutALastPriceRefusesLimitOrders() {
    RiskCheck r = only(RiskLimits.of("0", "0", 200, 0, false));
    assertEquals("price-band: no last price is known to check a limit price of 2500.00",
        r.check("A", OrderType.LIMIT, 1, 250_000, new RiskCheck.Market(0, 2, 0), 0));
  }

  @Test
  void maxOpenOrdersWhenTheCountIsKnown() {
    RiskCheck r = only(RiskLimits.of("0", "0", 0, 20, false));
    assertNull(r.check("A", OrderType.LIMIT, 1, 250_000, NSE, 19));
    assertEquals("max-open-orders: 20 orders open >= limit 20", r.check("A", OrderType.LIMIT, 1, 250_000, NSE, 20));
    assertNull(r.check("A", OrderType.LIMIT, 1, 250_000, NSE, RiskCheck.UNKNOWN_OPEN_ORDERS));
  }

  @Test
  void killSwitchRefusesFirst() {
    RiskCheck r = only(RiskLimits.of("1", "0", 0, 0, true));
    assertEquals("kill-switch: trading is halted for account A", r.check("A", OrderType.LIMIT, 5, 250_000, NSE, 0));
  }

  @Test
  void accountsOverrideSingleKeysOfTheDefault() {
    RiskCheck r = RiskCheck.fromConfig(ConfigFactory.parseString("""
        default { max-qty = 100, max-notional = 0, price-band-bps = 500, max-open-orders = 0, kill-switch = off }
        accounts { BIG { max-qty = 10000 }, HALT { kill-switch = on } }
        """));
    assertEquals(RiskLimits.of("100", "0", 500, 0, false), r.limitsFor("ANY"));
    assertEquals(RiskLimits.of("10000", "0", 500, 0, false), r.limitsFor("BIG"));
    assertEquals(RiskLimits.of("100", "0", 500, 0, true), r.limitsFor("HALT"));
  }

  @Test
  void omsConfDefaultsParse() {
    OmsSettings s = OmsSettings.fromConfig(ConfigFactory.parseResources("oms.conf").resolve());
    assertEquals(RiskLimits.of("100000", "50000000", 1000, 0, false), s.risk().limitsFor("DEMO"),
        "limits on out of the box: 100,000 units and 50,000,000 of the price currency per order");
    assertEquals(0, s.snapshotEvery(), "orders take no snapshots by default (recovery skips the snapshot store)");
  }
}
