package io.tickloom.protocol.format.kite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.Feed;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.TickStatus;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KiteTickMapperTest {
  private static final long INFY = 408065;
  private static final long RECEIVED = 1_625_461_890_123_000_000L;
  private static final long TRADED = 1_625_461_887L;

  private static KiteTick quote(long token, long last, long lastQty, long volume) {
    return new KiteTick(token, KiteTick.Mode.QUOTE, KiteTicker.isTradable(token), KiteTicker.priceScale(token), last, lastQty,
        0, volume, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of());
  }

  private static KiteTick full(long token, long last, long lastQty, long volume, long lastTradeTime, long exchangeTs, long bid, long ask) {
    return new KiteTick(token, KiteTick.Mode.FULL, KiteTicker.isTradable(token), KiteTicker.priceScale(token), last, lastQty,
        0, volume, 0, 0, 0, 0, 0, 0, lastTradeTime, 0, 0, 0, exchangeTs,
        List.of(new KiteDepth(5, bid, 1)), List.of(new KiteDepth(7, ask, 2)));
  }

  @Test
  void volumeIncreaseBecomesOneTradeKeyedByCumulativeVolume() {
    KiteTickMapper m = new KiteTickMapper();
    Tick first = m.onTick(full(INFY, 157_370, 7, 1_000, TRADED, TRADED + 1, 157_340, 157_370), RECEIVED, Feed.PRIMARY);
    assertEquals(new Tick(INFY, TRADED * 1_000_000_000L, RECEIVED, 157_370, 7, KiteTickMapper.tradeId(TRADED * 1_000_000_000L, 1_000), Tick.NO_SEQ, Feed.PRIMARY, null,
        157_340, 157_370, TickStatus.LIVE), first);

    assertNull(m.onTick(full(INFY, 157_375, 7, 1_000, TRADED, TRADED + 2, 157_340, 157_370), RECEIVED + 1, Feed.PRIMARY), "same volume");

    Tick second = m.onTick(full(INFY, 157_380, 3, 1_250, TRADED + 5, TRADED + 5, 157_375, 157_385), RECEIVED + 2, Feed.PRIMARY);
    assertEquals(250, second.qty(), "the volume increase, not lastQty");
    assertEquals(KiteTickMapper.tradeId(second.exchangeTs(), 1_250), second.tradeId());
    assertEquals(1_250, second.tradeId() & ((1L << KiteTickMapper.VOLUME_BITS) - 1), "the cumulative volume below the day");
    assertEquals(157_380, second.price());
    assertEquals((TRADED + 5) * 1_000_000_000L, second.exchangeTs());
    assertEquals(Tick.NO_SEQ, second.seq());
    assertEquals(second.tradeId(), second.dedupeKey());
    assertNull(second.side());
  }

  @Test
  void exchangeTimeFallsBackToPacketTimeThenReceiveTime() {
    KiteTickMapper m = new KiteTickMapper();
    assertEquals((TRADED + 1) * 1_000_000_000L, m.onTick(full(INFY, 1, 1, 10, 0, TRADED + 1, 0, 0), RECEIVED, Feed.PRIMARY).exchangeTs());
    assertEquals(RECEIVED, m.onTick(quote(INFY, 1, 1, 20), RECEIVED, Feed.PRIMARY).exchangeTs());
  }

  @Test
  void emptyDepthGivesNoQuote() {
    Tick t = new KiteTickMapper().onTick(full(INFY, 100, 1, 10, TRADED, 0, 0, 0), RECEIVED, Feed.SECONDARY);
    assertEquals(Tick.NO_PRICE, t.bid());
    assertEquals(Tick.NO_PRICE, t.ask());
    assertEquals(Feed.SECONDARY, t.feed());
    assertEquals(Tick.NO_PRICE, new KiteTickMapper().onTick(quote(INFY, 100, 1, 10), RECEIVED, Feed.PRIMARY).bid());
  }

  @Test
  void ltpIndexAndZeroVolumeSnapshotsGiveNoTick() {
    KiteTickMapper m = new KiteTickMapper();
    assertNull(m.onTick(KiteTick.ltp(INFY, 157_315), RECEIVED, Feed.PRIMARY));
    long nifty = 256265;
    assertNull(m.onTick(quote(nifty, 2_310_005, 0, 0), RECEIVED, Feed.PRIMARY));
    assertNull(m.onTick(quote(INFY, 157_315, 0, 0), RECEIVED, Feed.PRIMARY), "no volume yet");
    Tick t = m.onTick(quote(INFY, 157_315, 9, 40), RECEIVED, Feed.PRIMARY);
    assertEquals(40, t.qty(), "increase over the recorded 0");
    assertNull(new KiteTickMapper().onTick(quote(INFY, 157_315, 0, 40), RECEIVED, Feed.PRIMARY), "first snapshot without last qty");
  }

  @Test
  void volumeGoingDownStartsANewSessionLikeAFirstSnapshot() {
    KiteTickMapper m = new KiteTickMapper();
    m.onTick(quote(INFY, 100, 1, 5_000), RECEIVED, Feed.PRIMARY);
    Tick t = m.onTick(quote(INFY, 101, 3, 12), RECEIVED + 1, Feed.PRIMARY);
    assertEquals(3, t.qty());
    assertEquals(KiteTickMapper.tradeId(t.exchangeTs(), 12), t.tradeId());
    assertEquals(8, m.onTick(quote(INFY, 102, 8, 20), RECEIVED + 2, Feed.PRIMARY).qty());
  }

  @Test
  void theNextSessionsTradeIdsRiseAboveTheLastSessionsThoughItsVolumeStartsAgain() {
    long day1 = 1_625_462_487L * 1_000_000_000L; // 2021-07-05 10:41:27 IST
    long day2 = day1 + 86_400L * 1_000_000_000L;
    assertTrue(KiteTickMapper.tradeId(day2, 1) > KiteTickMapper.tradeId(day1, 900_000_000L));
    assertTrue(KiteTickMapper.tradeId(day1, 11) > KiteTickMapper.tradeId(day1, 10));
    // 15:30 IST and 09:15 IST the next morning are different days, though both are 10:00 and 03:45 UTC of different dates.
    long close = java.time.OffsetDateTime.parse("2021-07-05T15:30:00+05:30").toInstant().getEpochSecond() * 1_000_000_000L;
    long late = java.time.OffsetDateTime.parse("2021-07-05T23:59:00+05:30").toInstant().getEpochSecond() * 1_000_000_000L;
    assertEquals(KiteTickMapper.tradeId(close, 5) >> KiteTickMapper.VOLUME_BITS, KiteTickMapper.tradeId(late, 5) >> KiteTickMapper.VOLUME_BITS);
  }

  @Test
  void tokensAreTrackedSeparatelyAndClearForgetsThem() {
    KiteTickMapper m = new KiteTickMapper();
    for (long token = 1; token <= 1_000; token++) m.onTick(quote(token << 8 | 1, 100, 1, token), RECEIVED, Feed.PRIMARY);
    for (long token = 1; token <= 1_000; token++) {
      assertEquals(2, m.onTick(quote(token << 8 | 1, 100, 1, token + 2), RECEIVED, Feed.PRIMARY).qty(), "token " + token);
    }
    m.clear();
    assertEquals(1, m.onTick(quote(1 << 8 | 1, 100, 1, 50), RECEIVED, Feed.PRIMARY).qty());
  }

  @Test
  void pricesAreRescaledToTheInstrumentsScale() {
    long cds = 77L << 8 | KiteTicker.SEGMENT_CDS; // packet scale 7
    KiteTickMapper m = new KiteTickMapper();
    Tick t = m.onTick(full(cds, 831_250_000, 1, 10, TRADED, 0, 831_225_000, 831_275_000), RECEIVED, Feed.PRIMARY, 4);
    assertEquals(831_250, t.price());
    assertEquals(831_225, t.bid());
    assertEquals(831_275, t.ask());
    assertEquals(15_737_000, new KiteTickMapper().onTick(quote(INFY, 157_370, 1, 1), RECEIVED, Feed.PRIMARY, 4).price());
  }

  @Test
  void lossyRescaleIsRefusedAndTheVolumeIsReportedAgainLater() {
    long cds = 77L << 8 | KiteTicker.SEGMENT_CDS;
    KiteTickMapper m = new KiteTickMapper();
    m.onTick(quote(cds, 831_250_000, 1, 10), RECEIVED, Feed.PRIMARY, 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.onTick(quote(cds, 831_250_001, 1, 15), RECEIVED, Feed.PRIMARY, 4));
    assertTrue(e.getMessage().contains("token " + cds), e.getMessage());
    assertEquals(7, m.onTick(quote(cds, 831_260_000, 1, 17), RECEIVED, Feed.PRIMARY, 4).qty());
  }

  @Test
  void tradesOfARandomSnapshotStreamSumToTheFinalVolume() {
    Random random = new Random(42);
    KiteTickMapper m = new KiteTickMapper();
    long[] volume = new long[20];
    long[] reported = new long[20];
    for (int i = 0; i < 10_000; i++) {
      int k = random.nextInt(volume.length);
      long token = (long) (k + 1) << 8 | 2;
      long lastQty = 1 + random.nextInt(50);
      volume[k] += random.nextInt(3) == 0 ? 0 : lastQty;
      Tick t = m.onTick(quote(token, 100 + random.nextInt(10), lastQty, volume[k]), RECEIVED + i, Feed.PRIMARY);
      if (t != null) {
        reported[k] += t.qty();
        assertEquals(KiteTickMapper.tradeId(t.exchangeTs(), volume[k]), t.tradeId());
        assertNull(t.side());
      }
    }
    for (int k = 0; k < volume.length; k++) {
      assertEquals(volume[k], reported[k], "token index " + k + " (a first snapshot's last qty is all its volume here)");
    }
  }
}
