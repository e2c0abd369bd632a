package io.tickloom.protocol.bars;

import static io.tickloom.protocol.bars.SessionCalendarTest.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Bar;
import io.tickloom.protocol.EmptyBarPolicy;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.Timestamps;
import io.tickloom.protocol.TradingHours;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BarAggregatorTest {
  static final long SEC = Timestamps.NANOS_PER_SECOND;
  static final long MIN = 60 * SEC;
  static final long GRACE = SEC;
  /** 2026-01-15 10:00:00 UTC. */
  static final long T10 = t("2026-01-15T10:00:00Z");

  private final List<Bar> out = new ArrayList<>();
  private long seq;

  private BarAggregator utc(EmptyBarPolicy policy, Timeframe... tfs) {
    return new BarAggregator(42, TradingHours.UTC_24H, policy, tfs, GRACE, 100, out::add);
  }

  private void tick(BarAggregator agg, long ts, long price) {
    agg.onTick(ts, price, 10, ++seq);
  }

  private static Bar bar(Timeframe tf, long start, long end, long o, long h, long l, long c, long v, long n, long vwap, int rev) {
    return new Bar(42, tf, start, end, o, h, l, c, v, n, vwap, true, rev);
  }

  private static Bar flat(long start, long price, int rev) {
    return bar(Timeframe.M1, start, start + MIN, price, price, price, price, 0, 0, price, rev);
  }

  @Test
  void barIsFinalWhenTickAtItsEndArrives() {
    BarAggregator agg = utc(EmptyBarPolicy.SKIP, Timeframe.M1);
    agg.onTick(T10 + 5 * SEC, 100, 1, 1);
    agg.onTick(T10 + 30 * SEC, 104, 3, 2);
    agg.onTick(T10 + 59 * SEC, 98, 2, 3);
    assertTrue(out.isEmpty());
    agg.onTick(T10 + MIN, 101, 1, 4);
    // vwap = (100*1 + 104*3 + 98*2) / 6 = 608/6 = 101.33 -> 101
    assertEquals(List.of(bar(Timeframe.M1, T10, T10 + MIN, 100, 104, 98, 98, 6, 3, 101, 0)), out);
    assertEquals(new Bar(42, Timeframe.M1, T10 + MIN, T10 + 2 * MIN, 101, 101, 101, 101, 1, 1, 101, false, 0), agg.forming(Timeframe.M1));
  }

  @Test
  void tickJustBeforeEndKeepsBarForming() {
    BarAggregator agg = utc(EmptyBarPolicy.SKIP, Timeframe.M1);
    tick(agg, T10, 100);
    tick(agg, T10 + MIN - 1, 101);
    assertTrue(out.isEmpty());
    assertEquals(2, agg.forming(Timeframe.M1).trades());
    assertFalse(agg.forming(Timeframe.M1).isFinal());
  }

  @Test
  void heartbeatFinalizesBarOnlyOnceClockReachesEndPlusGrace() {
    BarAggregator agg = utc(EmptyBarPolicy.SKIP, Timeframe.M1);
    tick(agg, T10 + 10 * SEC, 100);
    agg.advanceClock(T10 + MIN); // at the end, within grace
    agg.advanceClock(T10 + MIN + GRACE - 1);
    assertTrue(out.isEmpty());
    assertEquals(T10 + MIN + GRACE - 1, agg.clock());
    agg.advanceClock(T10 + MIN + GRACE);
    assertEquals(1, out.size());
    assertNull(agg.forming(Timeframe.M1));
  }

  @Test
  void tickWithinGraceJoinsBarNotYetFinalizedByHeartbeat() {
    BarAggregator agg = utc(EmptyBarPolicy.SKIP, Timeframe.M1);
    tick(agg, T10 + 10 * SEC, 100);
    agg.advanceClock(T10 + MIN + GRACE / 2);
    tick(agg, T10 + 50 * SEC, 105); // event time inside the bar, clock already past its end
    agg.advanceClock(T10 + MIN + GRACE);
    assertEquals(List.of(bar(Timeframe.M1, T10, T10 + MIN, 100, 105, 100, 105, 20, 2, 103, 0)), out);
    assertEquals(0, agg.lateTicks());
  }

  @Test
  void heartbeatBackwardsDoesNotMoveClock() {
    BarAggregator agg = utc(EmptyBarPolicy.SKIP, Timeframe.M1);
    tick(agg, T10 + 10 * SEC, 100);
    agg.advanceClock(T10);
    assertEquals(T10 + 10 * SEC, agg.clock());
  }

  @Test
  void openAndCloseFollowEventTimeNotArrivalOrder() {
    BarAggregator agg = utc(EmptyBarPolicy.SKIP, Timeframe.M1);
    agg.onTick(T10 + 30 * SEC, 200, 1, 3);
    agg.onTick(T10 + 10 * SEC, 100, 1, 1); // earliest: open
    agg.onTick(T10 + 50 * SEC, 300, 1, 5); // latest: close
    agg.onTick(T10 + 20 * SEC, 400, 1, 2);
    Bar b = agg.forming(Timeframe.M1);
    assertEquals(100, b.open());
    assertEquals(300, b.close());
    assertEquals(400, b.high());
    assertEquals(100, b.low());
  }

  @Test
  void equalTimestampsAreOrderedBySeq() {
    BarAggregator agg = utc(EmptyBarPolicy.SKIP, Timeframe.M1);
    agg.onTick(T10 + SEC, 200, 1, 8);
    agg.onTick(T10 + SEC, 100, 1, 7);
    agg.onTick(T10 + SEC, 300, 1, 9);
    agg.onTick(T10 + SEC, 250, 1, 6);
    Bar b = agg.forming(Timeframe.M1);
    assertEquals(250, b.open());
    assertEquals(300, b.close());
  }

  @Test
  void vwapRoundsHalfUpToPriceScale() {
    BarAggregator agg = utc(EmptyBarPolicy.SKIP, Timeframe.M1);
    agg.onTick(T10, 101, 1, 1);
    agg.onTick(T10 + SEC, 102, 1, 2); // 203/2 = 101.5 -> 102
    assertEquals(102, agg.forming(Timeframe.M1).vwap());
    agg.onTick(T10 + 2 * SEC, 100, 2, 3); // 403/4 = 100.75 -> 101
    assertEquals(101, agg.forming(Timeframe.M1).vwap());
  }

  @Test
  void vwapOfNegativePricesRoundsHalfAwayFromZero() {
    BarAggregator agg = utc(EmptyBarPolicy.SKIP, Timeframe.M1);
    agg.onTick(T10, -101, 1, 1);
    agg.onTick(T10 + SEC, -102, 1, 2); // -101.5 -> -102
    assertEquals(-102, agg.forming(Timeframe.M1).vwap());
  }

  @Test
  void vwapOfZeroQuantityTicksIsClose() {
    BarAggregator agg = utc(EmptyBarPolicy.SKIP, Timeframe.M1);
    agg.onTick(T10, 2_500_05, 0, 1);
    agg.onTick(T10 + SEC, 2_501_10, 0, 2);
    Bar b = agg.forming(Timeframe.M1);
    assertEquals(0, b.volume());
    assertEquals(2, b.trades());
    assertEquals(2_501_10, b.vwap());
  }

  @Test
  void vwapIsExactWhenPriceTimesQtyExceeds64Bits() {
    BarAggregator agg = utc(EmptyBarPolicy.SKIP, Timeframe.M1);
    long p1 = 6_543_210_987_654_321L;
    long q1 = 987_654_321_987L;
    long p2 = 6_543_210_987_654_327L;
    long q2 = 123_456_789_123L;
    agg.onTick(T10, p1, q1, 1);
    agg.onTick(T10 + SEC, p2, q2, 2);
    BigInteger num = BigInteger.valueOf(p1).multiply(BigInteger.valueOf(q1)).add(BigInteger.valueOf(p2).multiply(BigInteger.valueOf(q2)));
    long expected = new BigDecimal(num).divide(BigDecimal.valueOf(q1 + q2), 0, RoundingMode.HALF_UP).longValueExact();
    assertTrue(num.bitLength() > 64);
    assertEquals(expected, agg.forming(Timeframe.M1).vwap());
  }

  @Test
  void carryEmitsFlatBarAtPreviousCloseForEveryEmptyIntervalBetweenTrades() {
    BarAggregator agg = utc(EmptyBarPolicy.CARRY, Timeframe.M1);
    tick(agg, T10 + 5 * SEC, 100);
    tick(agg, T10 + 6 * SEC, 107);
    tick(agg, T10 + 3 * MIN + SEC, 200);
    assertEquals(List.of(
        bar(Timeframe.M1, T10, T10 + MIN, 100, 107, 100, 107, 20, 2, 104, 0),
        flat(T10 + MIN, 107, 0),
        flat(T10 + 2 * MIN, 107, 0)), out);
  }

  @Test
  void skipEmitsNothingForEmptyIntervals() {
    BarAggregator agg = utc(EmptyBarPolicy.SKIP, Timeframe.M1);
    tick(agg, T10 + 5 * SEC, 100);
    tick(agg, T10 + 3 * MIN + SEC, 200);
    agg.advanceClock(T10 + 10 * MIN);
    assertEquals(2, out.size());
    assertEquals(T10, out.get(0).start());
    assertEquals(T10 + 3 * MIN, out.get(1).start());
  }

  @Test
  void carryByHeartbeatWaitsForGraceOfEachEmptyInterval() {
    BarAggregator agg = utc(EmptyBarPolicy.CARRY, Timeframe.M1);
    tick(agg, T10 + 10 * SEC, 100);
    agg.advanceClock(T10 + 2 * MIN + GRACE - 1);
    assertEquals(List.of(bar(Timeframe.M1, T10, T10 + MIN, 100, 100, 100, 100, 10, 1, 100, 0)), out);
    agg.advanceClock(T10 + 2 * MIN + GRACE);
    assertEquals(flat(T10 + MIN, 100, 0), out.get(1));
    agg.advanceClock(T10 + 4 * MIN + GRACE - 1);
    assertEquals(List.of(T10, T10 + MIN, T10 + 2 * MIN), out.stream().map(Bar::start).toList());
  }

  @Test
  void noCarryBeforeFirstTradeOfTheSession() {
    BarAggregator agg = utc(EmptyBarPolicy.CARRY, Timeframe.M1);
    agg.advanceClock(T10);
    agg.advanceClock(T10 + 30 * MIN);
    tick(agg, T10 + 30 * MIN + SEC, 100);
    assertTrue(out.isEmpty());
    agg.advanceClock(T10 + 31 * MIN + GRACE);
    assertEquals(1, out.size());
    assertEquals(T10 + 30 * MIN, out.get(0).start());
  }

  @Test
  void noCarryWhileSessionClosedNorBeforeNextSessionsFirstTrade() {
    BarAggregator agg = new BarAggregator(42, TradingHours.NSE, EmptyBarPolicy.CARRY, new Timeframe[] {Timeframe.M1}, GRACE, 100, out::add);
    tick(agg, t("2026-01-15T15:28:10+05:30"), 100);
    agg.advanceClock(t("2026-01-15T20:00:00+05:30"));
    assertEquals(List.of(
        bar(Timeframe.M1, t("2026-01-15T15:28:00+05:30"), t("2026-01-15T15:29:00+05:30"), 100, 100, 100, 100, 10, 1, 100, 0),
        flat(t("2026-01-15T15:29:00+05:30"), 100, 0)), out);
    tick(agg, t("2026-01-16T09:20:30+05:30"), 110);
    tick(agg, t("2026-01-16T09:22:30+05:30"), 120);
    assertEquals(4, out.size());
    assertEquals(bar(Timeframe.M1, t("2026-01-16T09:20:00+05:30"), t("2026-01-16T09:21:00+05:30"), 110, 110, 110, 110, 10, 1, 110, 0), out.get(2));
    assertEquals(flat(t("2026-01-16T09:21:00+05:30"), 110, 0), out.get(3));
  }

  @Test
  void allDayCarryContinuesAcrossTheDailyAnchor() {
    BarAggregator agg = utc(EmptyBarPolicy.CARRY, Timeframe.H1);
    long lateEvening = t("2026-01-15T22:30:00Z");
    tick(agg, lateEvening, 100);
    tick(agg, t("2026-01-16T01:10:00Z"), 200);
    assertEquals(List.of(t("2026-01-15T22:00:00Z"), t("2026-01-15T23:00:00Z"), t("2026-01-16T00:00:00Z")),
        out.stream().map(Bar::start).toList());
  }

  @Test
  void flushFinalizesFormingBarsWithoutTrailingCarry() {
    BarAggregator agg = utc(EmptyBarPolicy.CARRY, Timeframe.M1, Timeframe.H1);
    tick(agg, T10 + 10 * SEC, 100);
    tick(agg, T10 + 2 * MIN + 10 * SEC, 101);
    agg.flush();
    assertEquals(List.of(T10, T10 + MIN, T10 + 2 * MIN, T10), out.stream().map(Bar::start).toList());
    assertEquals(Timeframe.H1, out.get(3).tf());
    assertTrue(out.stream().allMatch(Bar::isFinal));
    assertNull(agg.forming(Timeframe.M1));
    agg.flush();
    assertEquals(4, out.size());
  }

  @Test
  void tickAfterFlushIntoFlushedIntervalIsLate() {
    BarAggregator agg = utc(EmptyBarPolicy.SKIP, Timeframe.M1);
    tick(agg, T10 + 10 * SEC, 100);
    agg.flush();
    tick(agg, T10 + 20 * SEC, 105);
    assertEquals(1, agg.lateTicks());
    assertEquals(2, out.size());
    assertEquals(1, out.get(1).revision());
    assertEquals(105, out.get(1).close());
  }

  @Test
  void lateTickProducesRevisedBar() {
    BarAggregator agg = utc(EmptyBarPolicy.SKIP, Timeframe.M1);
    agg.onTick(T10 + 10 * SEC, 100, 1, 1);
    agg.onTick(T10 + MIN + 10 * SEC, 110, 1, 3);
    agg.onTick(T10 + 50 * SEC, 90, 1, 2); // late: its bar was final
    assertEquals(List.of(
        bar(Timeframe.M1, T10, T10 + MIN, 100, 100, 100, 100, 1, 1, 100, 0),
        bar(Timeframe.M1, T10, T10 + MIN, 100, 100, 90, 90, 2, 2, 95, 1)), out);
    assertEquals(1, agg.lateTicks());
    assertEquals(0, agg.tooLateTicks());
    agg.onTick(T10 + 55 * SEC, 80, 1, 4);
    assertEquals(2, out.get(2).revision());
    assertEquals(80, out.get(2).close());
  }

  @Test
  void lateTickUnderSkipIntoIntervalWithoutBarEmitsNewBarRevisionZero() {
    BarAggregator agg = utc(EmptyBarPolicy.SKIP, Timeframe.M1);
    tick(agg, T10 + 10 * SEC, 100);
    tick(agg, T10 + 3 * MIN, 130);
    tick(agg, T10 + MIN + 5 * SEC, 110);
    assertEquals(bar(Timeframe.M1, T10 + MIN, T10 + 2 * MIN, 110, 110, 110, 110, 10, 1, 110, 0), out.get(1));
    assertEquals(2, out.size());
    assertEquals(1, agg.lateTicks());
  }

  @Test
  void lateTickRevisesCarriedFlatBarsAfterIt() {
    BarAggregator agg = utc(EmptyBarPolicy.CARRY, Timeframe.M1);
    agg.onTick(T10 + 10 * SEC, 100, 1, 1);
    agg.onTick(T10 + 3 * MIN + 10 * SEC, 200, 1, 3);
    out.clear();
    agg.onTick(T10 + MIN + 30 * SEC, 150, 2, 2); // into the first flat bar
    assertEquals(List.of(
        bar(Timeframe.M1, T10 + MIN, T10 + 2 * MIN, 150, 150, 150, 150, 2, 1, 150, 1),
        flat(T10 + 2 * MIN, 150, 1)), out);
  }

  @Test
  void lateTickThatLeavesCloseUnchangedRevisesOnlyItsBar() {
    BarAggregator agg = utc(EmptyBarPolicy.CARRY, Timeframe.M1);
    agg.onTick(T10 + 10 * SEC, 100, 1, 1);
    agg.onTick(T10 + 3 * MIN + 10 * SEC, 200, 1, 3);
    out.clear();
    agg.onTick(T10 + 5 * SEC, 90, 1, 0); // earlier than the open: changes open/low, not close
    assertEquals(List.of(bar(Timeframe.M1, T10, T10 + MIN, 90, 100, 90, 100, 2, 2, 95, 1)), out);
  }

  @Test
  void lateTickChangingCloseRevisesWholeCarryChainUpToNextTrade() {
    BarAggregator agg = utc(EmptyBarPolicy.CARRY, Timeframe.M1);
    agg.onTick(T10 + 10 * SEC, 100, 1, 1);
    agg.onTick(T10 + 4 * MIN + 10 * SEC, 200, 1, 3);
    agg.onTick(T10 + 6 * MIN + 10 * SEC, 300, 1, 4);
    out.clear();
    agg.onTick(T10 + 40 * SEC, 120, 1, 2);
    assertEquals(List.of(
        bar(Timeframe.M1, T10, T10 + MIN, 100, 120, 100, 120, 2, 2, 110, 1),
        flat(T10 + MIN, 120, 1), flat(T10 + 2 * MIN, 120, 1), flat(T10 + 3 * MIN, 120, 1)), out);
    // the flat bar after the traded 10:04 bar keeps its close
    out.clear();
    agg.onTick(T10 + 4 * MIN + 20 * SEC, 210, 1, 5); // late for the final 10:04 bar -> 10:05 flat revised
    assertEquals(List.of(
        bar(Timeframe.M1, T10 + 4 * MIN, T10 + 5 * MIN, 200, 210, 200, 210, 2, 2, 205, 1),
        flat(T10 + 5 * MIN, 210, 1)), out);
  }

  @Test
  void lateTickBeforeFirstTradeUnderCarryEmitsFlatBarsUpToTheForming() {
    BarAggregator agg = utc(EmptyBarPolicy.CARRY, Timeframe.M1);
    agg.onTick(T10 + 4 * MIN + 10 * SEC, 200, 1, 2);
    agg.onTick(T10 + MIN + 10 * SEC, 100, 1, 1);
    assertEquals(List.of(
        bar(Timeframe.M1, T10 + MIN, T10 + 2 * MIN, 100, 100, 100, 100, 1, 1, 100, 0),
        flat(T10 + 2 * MIN, 100, 0), flat(T10 + 3 * MIN, 100, 0)), out);
    agg.flush();
    assertEquals(T10 + 4 * MIN, out.get(3).start());
    assertEquals(4, out.size());
  }

  @Test
  void tooLateTickBeyondHistoryIsCountedAndChangesNothing() {
    BarAggregator agg = new BarAggregator(42, TradingHours.UTC_24H, EmptyBarPolicy.SKIP, new Timeframe[] {Timeframe.M1}, GRACE, 2, out::add);
    for (int i = 0; i < 5; i++) tick(agg, T10 + i * MIN + SEC, 100 + i);
    int emitted = out.size(); // 10:00..10:03 final; history keeps 10:02, 10:03
    tick(agg, T10 + 2 * MIN + 30 * SEC, 500); // inside the history: revised
    assertEquals(emitted + 1, out.size());
    tick(agg, T10 + MIN + 30 * SEC, 500); // before the history
    tick(agg, T10 + 30 * SEC, 500);
    assertEquals(emitted + 1, out.size());
    assertEquals(3, agg.lateTicks());
    assertEquals(2, agg.tooLateTicks());
  }

  @Test
  void zeroRevisionHistoryMakesEveryLateTickTooLate() {
    BarAggregator agg = new BarAggregator(42, TradingHours.UTC_24H, EmptyBarPolicy.CARRY, new Timeframe[] {Timeframe.M1}, GRACE, 0, out::add);
    tick(agg, T10 + SEC, 100);
    tick(agg, T10 + 3 * MIN + SEC, 101);
    assertEquals(3, out.size()); // bar + two flats still emitted
    tick(agg, T10 + 2 * MIN + SEC, 99);
    assertEquals(3, out.size());
    assertEquals(1, agg.tooLateTicks());
  }

  @Test
  void lateTickForShortTimeframeJoinsFormingLongBar() {
    BarAggregator agg = utc(EmptyBarPolicy.SKIP, Timeframe.M1, Timeframe.H1);
    agg.onTick(T10 + 10 * SEC, 100, 1, 1);
    agg.onTick(T10 + MIN + 10 * SEC, 110, 1, 3);
    agg.onTick(T10 + 20 * SEC, 90, 1, 2);
    assertEquals(2, out.size());
    assertTrue(out.stream().allMatch(b -> b.tf() == Timeframe.M1));
    Bar hour = agg.forming(Timeframe.H1);
    assertEquals(3, hour.trades());
    assertEquals(110, hour.close());
    assertEquals(90, hour.low());
    assertEquals(1, agg.lateTicks());
  }

  @Test
  void ticksOutsideSessionAreCountedAndFormNoBar() {
    BarAggregator agg = new BarAggregator(42, TradingHours.NSE, EmptyBarPolicy.SKIP, new Timeframe[] {Timeframe.M1, Timeframe.D1}, GRACE, 100, out::add);
    tick(agg, t("2026-01-15T09:14:59+05:30"), 100);
    tick(agg, t("2026-01-15T09:15:00+05:30"), 101);
    tick(agg, t("2026-01-15T15:30:00+05:30"), 102); // closes both bars, forms none
    assertEquals(2, agg.outOfSessionTicks());
    assertEquals(2, out.size());
    assertEquals(t("2026-01-15T09:15:00+05:30"), out.get(1).start());
    assertEquals(t("2026-01-15T15:30:00+05:30"), out.get(1).end());
    assertEquals(Timeframe.D1, out.get(1).tf());
    assertEquals(101, out.get(1).close());
    assertNull(agg.forming(Timeframe.M1));
  }

  @Test
  void nseLastHourBarIsTruncatedAndDailyBarFinalAtClosePlusGrace() {
    BarAggregator agg = new BarAggregator(42, TradingHours.NSE, EmptyBarPolicy.SKIP, new Timeframe[] {Timeframe.H1, Timeframe.D1}, GRACE, 100, out::add);
    tick(agg, t("2026-01-15T10:00:00+05:30"), 100);
    tick(agg, t("2026-01-15T15:20:00+05:30"), 120);
    agg.advanceClock(t("2026-01-15T15:30:00.999+05:30"));
    assertEquals(1, out.size()); // the 09:15 hour bar
    agg.advanceClock(t("2026-01-15T15:30:01+05:30"));
    assertEquals(3, out.size());
    Bar lastHour = out.stream().filter(b -> b.tf() == Timeframe.H1 && b.close() == 120).findFirst().orElseThrow();
    assertEquals(t("2026-01-15T15:15:00+05:30"), lastHour.start());
    assertEquals(t("2026-01-15T15:30:00+05:30"), lastHour.end());
    Bar day = out.stream().filter(b -> b.tf() == Timeframe.D1).findFirst().orElseThrow();
    assertEquals(2, day.trades());
    assertEquals(t("2026-01-15T09:15:00+05:30"), day.start());
  }

  @Test
  void demoAroundTheClockDailyBarRunsFromOpenToNextOpen() {
    BarAggregator agg = new BarAggregator(42, TradingHours.NSE.aroundTheClock(), EmptyBarPolicy.SKIP, new Timeframe[] {Timeframe.D1}, GRACE, 100, out::add);
    tick(agg, t("2026-01-15T09:14:00+05:30"), 100);
    tick(agg, t("2026-01-15T09:15:00+05:30"), 101);
    assertEquals(1, out.size());
    assertEquals(t("2026-01-14T09:15:00+05:30"), out.get(0).start());
    assertEquals(t("2026-01-15T09:15:00+05:30"), out.get(0).end());
    assertEquals(0, agg.outOfSessionTicks());
  }

  @Test
  void duplicateTimeframeIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> utc(EmptyBarPolicy.SKIP, Timeframe.M1, Timeframe.M1));
    BarAggregator agg = utc(EmptyBarPolicy.SKIP, Timeframe.M1);
    assertThrows(IllegalArgumentException.class, () -> agg.forming(Timeframe.H1));
  }

  @Test
  void onTickWithinOneSessionDoesNotAllocate() {
    long[] bars = new long[1];
    BarAggregator agg = new BarAggregator(42, TradingHours.UTC_24H, EmptyBarPolicy.CARRY,
        new Timeframe[] {Timeframe.S1, Timeframe.M1, Timeframe.H1}, GRACE, 64, b -> bars[0]++);
    long[] ts = {T10};
    long[] seq = {0};
    for (int i = 0; i < 50_000; i++) agg.onTick(ts[0] += 1_000_000, 100 + (i & 7), 1, seq[0]++); // warm up, 50 s
    long barsBefore = bars[0];
    // Allocations.measure runs the block twice and measures the second run: 2 x 100k ticks, 200 s of event time.
    long allocated = io.tickloom.protocol.testing.Allocations.measure(() -> {
      for (int i = 0; i < 100_000; i++) agg.onTick(ts[0] += 1_000_000, 100 + (i & 7), 1, seq[0]++);
    });
    long emitted = (bars[0] - barsBefore) / 2; // bars of the measured run (~102), each a Bar record
    assertTrue(emitted > 50);
    assertTrue(allocated < emitted * 200 + 16_384, "allocated " + allocated + " bytes for 100k ticks and " + emitted + " bars");
  }
}
