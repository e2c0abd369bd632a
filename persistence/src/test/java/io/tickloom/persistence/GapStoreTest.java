package io.tickloom.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickloom.protocol.Gap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GapStoreTest {
  Database db;
  GapStore store;

  @BeforeEach
  void open() {
    db = TestDatabase.fresh();
    store = new GapStore(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void upsert_followsAGapFromOpenToFilled() {
    Gap open = new Gap(1, 10, 14, 1_000, 0, 0, Gap.State.OPEN);
    store.upsert(List.of(open));
    assertEquals(List.of(open), store.gaps(1, 0, 2_000, 10));
    Gap partly = new Gap(1, 10, 14, 1_000, 0, 3, Gap.State.OPEN);
    Gap filled = new Gap(1, 10, 14, 1_000, 1_500, 5, Gap.State.FILLED);
    store.upsert(List.of(partly, filled)); // two updates of one gap in one batch: the last wins
    assertEquals(List.of(filled), store.gaps(1, 0, 2_000, 10));
  }

  @Test
  void upsert_neverReopensAClosedGap() {
    Gap lost = new Gap(2, 5, 9, 1_000, 3_000, 2, Gap.State.LOST);
    store.upsert(List.of(lost));
    store.upsert(List.of(new Gap(2, 5, 9, 1_000, 0, 1, Gap.State.OPEN))); // a stale retry
    assertEquals(List.of(lost), store.gaps(2, 0, 5_000, 10));
  }

  @Test
  void gaps_areQueriedByOpeningTimeOldestFirst() {
    Gap a = new Gap(3, 100, 100, 3_000, 0, 0, Gap.State.OPEN);
    Gap b = new Gap(3, 10, 20, 1_000, 1_200, 11, Gap.State.FILLED);
    Gap c = new Gap(3, 50, 60, 2_000, 4_000, 0, Gap.State.LOST);
    store.upsert(List.of(a, b, c, new Gap(4, 1, 2, 1_000, 0, 0, Gap.State.OPEN)));
    assertEquals(List.of(b, c, a), store.gaps(3, 0, Long.MAX_VALUE, 10));
    assertEquals(List.of(b, c), store.gaps(3, 0, Long.MAX_VALUE, 2));
    assertEquals(List.of(c), store.gaps(3, 1_001, 3_000, 10));
  }
}
