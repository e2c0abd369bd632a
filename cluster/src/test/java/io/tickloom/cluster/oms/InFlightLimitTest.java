package io.tickloom.cluster.oms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InFlightLimitTest {

  @Test
  void refusesBeyondTheLimitWithoutRunningTheCommandAndAdmitsAgainOnceOneCompletes() throws Exception {
    InFlightLimit limit = new InFlightLimit(3);
    AtomicInteger ran = new AtomicInteger();
    List<CompletableFuture<String>> pending = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      CompletableFuture<String> f = new CompletableFuture<>();
      pending.add(f);
      limit.run(() -> {
        ran.incrementAndGet();
        return f;
      });
    }
    CompletionStage<String> refused = limit.run(() -> {
      ran.incrementAndGet();
      return CompletableFuture.completedFuture("never");
    });
    ExecutionException e = assertThrows(ExecutionException.class, () -> refused.toCompletableFuture().get());
    assertInstanceOf(InFlightLimit.Overloaded.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("3 commands in flight"), e.getCause().getMessage());
    assertEquals(3, ran.get());
    assertEquals(3, limit.inFlight());

    pending.get(1).completeExceptionally(new IllegalStateException("a failed ask frees its place too"));
    assertEquals(2, limit.inFlight());
    assertEquals("ok", limit.run(() -> CompletableFuture.completedFuture("ok")).toCompletableFuture().get());
    assertEquals(2, limit.inFlight());
    pending.get(0).complete("a");
    pending.get(2).complete("c");
    assertEquals(0, limit.inFlight());
  }

  @Test
  void aCommandThatThrowsFreesItsPlace() {
    InFlightLimit limit = new InFlightLimit(1);
    assertThrows(IllegalArgumentException.class, () -> limit.run(() -> {
      throw new IllegalArgumentException("bad");
    }));
    assertEquals(0, limit.inFlight());
  }

  @Test
  void zeroMeansNoLimit() throws Exception {
    InFlightLimit limit = new InFlightLimit(0);
    for (int i = 0; i < 10_000; i++) limit.run(CompletableFuture::new);
    assertEquals("x", limit.run(() -> CompletableFuture.completedFuture("x")).toCompletableFuture().get());
  }
}
