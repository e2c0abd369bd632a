package io.tickloom.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tickloom.protocol.Side;
import org.junit.jupiter.api.Test;

/** The average-cost position of docs/oms.md: increases average, reductions realize, a flip opens at the fill price. */
class PositionTest {
  static Position p() {
    return Position.flat("A", 1);
  }

  @Test
  void buysAverageTheirPricesRoundedHalfUp() {
    Position x = p().apply(Side.BUY, 10, 100_00, 1).apply(Side.BUY, 20, 103_01, 2);
    assertEquals(30, x.netQty());
    // (10 x 10000 + 20 x 10301) / 30 = 10200.666.. -> 10201
    assertEquals(102_01, x.avgPrice());
    assertEquals(0, x.realizedPnl());
    assertEquals(30, x.boughtQty());
    assertEquals(2, x.updatedAt());
  }

  @Test
  void sellReducingALongRealizesAgainstTheAverageAndKeepsIt() {
    Position x = p().apply(Side.BUY, 10, 100_00, 1).apply(Side.SELL, 4, 105_50, 2);
    assertEquals(6, x.netQty());
    assertEquals(100_00, x.avgPrice());
    assertEquals(4 * 5_50, x.realizedPnl());
    assertEquals(java.math.BigInteger.valueOf(6 * 2_00), x.unrealizedPnl(102_00));
  }

  @Test
  void closingToFlatResetsTheAverage() {
    Position x = p().apply(Side.BUY, 10, 100_00, 1).apply(Side.SELL, 10, 99_00, 2);
    assertEquals(0, x.netQty());
    assertEquals(0, x.avgPrice());
    assertEquals(-10 * 1_00, x.realizedPnl());
    assertEquals(java.math.BigInteger.ZERO, x.unrealizedPnl(500_00));
  }

  @Test
  void aFillPastThePositionFlipsItAtTheFillPrice() {
    Position x = p().apply(Side.BUY, 10, 100_00, 1).apply(Side.SELL, 15, 110_00, 2);
    assertEquals(-5, x.netQty());
    assertEquals(110_00, x.avgPrice());
    assertEquals(10 * 10_00, x.realizedPnl());
    // a short gains when the price falls
    assertEquals(java.math.BigInteger.valueOf(5 * 2_00), x.unrealizedPnl(108_00));
  }

  @Test
  void coveringAShortRealizesAverageMinusPrice() {
    Position x = p().apply(Side.SELL, 8, 200_00, 1).apply(Side.SELL, 2, 210_00, 2).apply(Side.BUY, 5, 190_00, 3);
    assertEquals(-5, x.netQty());
    assertEquals(202_00, x.avgPrice());
    assertEquals(5 * 12_00, x.realizedPnl());
    assertEquals(5, x.boughtQty());
    assertEquals(10, x.soldQty());
  }

  @Test
  void overflowFailsInsteadOfWrapping() {
    Position x = p().apply(Side.BUY, Long.MAX_VALUE / 2, 1, 1);
    assertThrows(ArithmeticException.class, () -> x.apply(Side.SELL, Long.MAX_VALUE / 2, Long.MAX_VALUE, 2));
  }
}
