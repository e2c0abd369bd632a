package io.tickloom.protocol.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;

/** Test helper (protocol test-jar, shared with other modules' tests): bytes the current thread allocates while running a block (HotSpot's per-thread allocation counter). */
public final class Allocations {
  private Allocations() {}

  /** Runs {@code block} once to warm up (JIT, lazy init), then measures a second run. Skips when unsupported. */
  public static long measure(Runnable block) {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter in this JVM");
    com.sun.management.ThreadMXBean hs = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(hs.isThreadAllocatedMemorySupported() && hs.isThreadAllocatedMemoryEnabled(), "allocation counter off");
    long id = Thread.currentThread().getId();
    block.run();
    long before = hs.getThreadAllocatedBytes(id);
    block.run();
    return hs.getThreadAllocatedBytes(id) - before;
  }
}
