package io.tickloom.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickloom.persistence.BarStore;
import io.tickloom.persistence.Database;
import io.tickloom.persistence.GapStore;
import io.tickloom.persistence.TestDatabase;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Gap;
import io.tickloom.protocol.Timeframe;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The node's bar/gap writer against a real PostgreSQL, including a database that is briefly unreachable. */
class StoreWriterIT {
  static ActorTestKit kit;
  static final long SEC = 1_000_000_000L;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("store-writer");
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static Bar bar(long token, long start, int revision) {
    return new Bar(token, Timeframe.S1, start, start + SEC, 100, 110, 90, 105, 10, 2, 101, true, revision);
  }

  @Test
  void everythingWrittenBeforeAFlushIsStoredEvenWhenTheDatabaseFailsAtFirst() {
    try (Database db = TestDatabase.fresh()) {
      AtomicInteger refusals = new AtomicInteger(3); // the first three connection attempts fail
      DataSource flaky = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
          (proxy, method, args) -> {
            if (method.getName().equals("getConnection") && refusals.getAndDecrement() > 0) {
              throw new SQLTransientConnectionException("database briefly away (injected)");
            }
            try {
              return method.invoke(db.dataSource(), args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
      var writer = kit.spawn(StoreWriter.create(new BarStore(flaky), new GapStore(flaky), new io.tickloom.persistence.IndicatorStore(flaky), Runnable::run));
      long t0 = 1_767_225_600L * SEC;
      writer.tell(new StoreWriter.Write(List.of(bar(1, t0, 0), bar(1, t0 + SEC, 0)), List.of()));
      writer.tell(new StoreWriter.Write(List.of(bar(1, t0, 1)), List.of(new Gap(1, 5, 6, t0, t0 + SEC, 2, Gap.State.FILLED))));
      TestProbe<StoreWriter.Done> flushed = kit.createTestProbe();
      writer.tell(new StoreWriter.Flush(flushed.ref()));
      flushed.expectMessage(Duration.ofSeconds(20), StoreWriter.Done.INSTANCE);

      List<Bar> stored = new BarStore(db).bars(1, Timeframe.S1, 0, Long.MAX_VALUE, 100);
      assertEquals(2, stored.size());
      assertEquals(1, stored.get(0).revision(), "the revision wins over revision 0");
      assertEquals(List.of(Gap.State.FILLED), new GapStore(db).gaps(1, 0, Long.MAX_VALUE, 10).stream().map(Gap::state).toList());
    }
  }
}
