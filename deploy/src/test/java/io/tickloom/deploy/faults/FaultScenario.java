package io.tickloom.deploy.faults;

import java.time.Duration;

/**
 * The fault scenarios of issue 13: what happens between the quiet window and the figures. Each holds the quiet window,
 * acts, and holds the observation window ({@link FaultSettings#observe()}, counted from the fault, or from the recovery
 * where something comes back).
 */
public enum FaultScenario {
  /** kill -9 of node 2: its entities must move to the survivors, nothing lost, the survivors unaffected. */
  KILL {
    @Override
    void act(FaultRun run) throws Exception {
      run.kill(2);
      run.observe(run.settings().observe());
    }
  },
  /** SIGTERM of node 2: it leaves the cluster gracefully, handing its shards over. */
  LEAVE {
    @Override
    void act(FaultRun run) throws Exception {
      run.leave(2);
      run.observe(remaining(run, run.settings().observe()));
    }
  },
  /** kill -9 of node 2, then node 2 started again at the same address after {@code rejoin-after}. */
  KILL_REJOIN {
    @Override
    void act(FaultRun run) throws Exception {
      run.kill(2);
      run.observe(run.settings().rejoinAfter());
      run.rejoin(2);
      run.observe(run.settings().observe());
    }
  },
  /** PostgreSQL stopped and started again at once (same port, same data). */
  DB_RESTART {
    @Override
    void act(FaultRun run) throws Exception {
      run.markFault();
      run.database().stop();
      run.database().start();
      run.markRecovered();
      FaultRun.log("PostgreSQL restarted in " + (run.recoveredAt - run.faultAt) / 1_000_000 + " ms");
      run.observe(run.settings().observe());
    }
  },
  /** PostgreSQL down for {@code outage} (30 s by default), then started again. */
  DB_OUTAGE {
    @Override
    void act(FaultRun run) throws Exception {
      run.markFault();
      run.database().stop();
      FaultRun.log("PostgreSQL stopped for " + run.settings().outage());
      run.observe(run.settings().outage());
      run.database().start();
      run.markRecovered();
      FaultRun.log("PostgreSQL started again");
      run.observe(run.settings().observe());
    }
  };

  /** The fault and the observation after it (the quiet window has been held). */
  abstract void act(FaultRun run) throws Exception;

  /** Runs the whole scenario on a started {@link FaultRun} and answers its figures. */
  public FaultFigures run(FaultRun run) throws Exception {
    run.quiet();
    act(run);
    return run.finish(name().toLowerCase(java.util.Locale.ROOT));
  }

  private static Duration remaining(FaultRun run, Duration window) {
    long left = window.toNanos() - (FaultClock.now() - run.faultAt);
    return Duration.ofNanos(Math.max(0, left));
  }
}
