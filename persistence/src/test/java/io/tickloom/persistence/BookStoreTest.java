package io.tickloom.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.protocol.book.DepthMessage;
import io.tickloom.protocol.book.LiveBook;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BookStoreTest {
  private static final long T = 1_700_000_000_000_000_000L;
  Database db;
  BookStore store;

  @BeforeEach
  void open() {
    db = TestDatabase.fresh();
    store = new BookStore(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  /** As an entity writes it: messages in batches, states every so often; every instant rebuilds to the live book. */
  @Test
  void bookAtEveryInstantEqualsTheBookThatWroteTheLog() {
    SplittableRandom r = new SplittableRandom(5);
    LiveBook live = new LiveBook();
    List<BookStore.Entry> batch = new ArrayList<>();
    List<byte[]> liveAt = new ArrayList<>(); // book state after message i (ts T + 10 i)
    batch.add(BookStore.Entry.state(9, T - 1, live.writeState())); // the entity's start: an empty book
    long id = 100;
    for (int i = 0; i < 600; i++) {
      long ts = T + 10L * i;
      DepthMessage m;
      if (i % 150 == 0) {
        m = DepthMessage.l2Snapshot(9, ts, ts, ++id, new long[] {1000, 999}, new long[] {5, 5}, new long[] {1001, 1002}, new long[] {5, 5});
      } else {
        long first = id + 1;
        id = first + r.nextInt(2);
        boolean bid = r.nextBoolean();
        long[] p = {bid ? 995 + r.nextInt(6) : 1001 + r.nextInt(6)};
        long[] s = {r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(40)};
        m = bid ? DepthMessage.l2Update(9, ts, ts, first, id, 0, p, s, null, null)
            : DepthMessage.l2Update(9, ts, ts, first, id, 0, null, null, p, s);
      }
      live.apply(m);
      batch.add(BookStore.Entry.message(9, live.clock(), m));
      if (i % 70 == 0 && live.stateComplete()) batch.add(BookStore.Entry.state(9, live.clock(), live.writeState()));
      if (batch.size() > 40) {
        store.append(batch);
        batch = new ArrayList<>();
      }
      liveAt.add(live.writeState());
    }
    store.append(batch);
    // another instrument's log in between changes nothing
    store.append(List.of(BookStore.Entry.state(10, T, new LiveBook().writeState())));

    assertTrue(store.bookAt(9, T - 2).isEmpty());
    assertEquals(0, store.bookAt(9, T - 1).orElseThrow().kind() == LiveBook.Kind.NONE ? 0 : 1);
    for (int i = 0; i < 600; i += 7) {
      LiveBook expected = LiveBook.readState(liveAt.get(i));
      LiveBook at = store.bookAt(9, T + 10L * i + 5).orElseThrow();
      assertEquals(expected.snapshot(100), at.snapshot(100), "at message " + i);
      assertEquals(T + 10L * i, at.clock());
    }
  }

  /** Retention keeps every instant at or after the cutoff rebuildable and deletes what only older instants needed. */
  @Test
  void pruneKeepsEveryInstantSinceTheCutoffExact() {
    LiveBook live = new LiveBook();
    List<BookStore.Entry> log = new ArrayList<>();
    List<byte[]> liveAt = new ArrayList<>();
    log.add(BookStore.Entry.state(9, T, live.writeState()));
    log.add(BookStore.Entry.state(10, T, new LiveBook().writeState())); // an instrument with nothing after its start
    for (int i = 0; i < 300; i++) {
      long ts = T + 10L * (i + 1);
      DepthMessage m = i == 0
          ? DepthMessage.l2Snapshot(9, ts, ts, 1, new long[] {1000}, new long[] {5}, new long[] {1001}, new long[] {5})
          : DepthMessage.l2Update(9, ts, ts, i + 1, i + 1, 0, new long[] {990 + i % 10}, new long[] {i % 4}, null, null);
      live.apply(m);
      log.add(BookStore.Entry.message(9, live.clock(), m));
      if (i % 100 == 50) log.add(BookStore.Entry.state(9, live.clock(), live.writeState()));
      liveAt.add(live.writeState());
    }
    store.append(log);
    long cutoff = T + 10L * 200; // after the states taken at messages 50 and 150, before the one at 250

    long deleted = store.prune(cutoff);
    assertEquals(153, deleted, "token 9: its start state, messages 0..150 and the state after 50 go; the state after 150 stays");
    assertEquals(0, store.prune(cutoff), "a second prune finds nothing");
    for (int i = 199; i < 300; i++) {
      LiveBook at = store.bookAt(9, T + 10L * (i + 1)).orElseThrow();
      assertEquals(LiveBook.readState(liveAt.get(i)).snapshot(100), at.snapshot(100), "at message " + i);
    }
    assertTrue(store.bookAt(10, T + 5).isPresent(), "token 10 keeps its only state");
  }
}
