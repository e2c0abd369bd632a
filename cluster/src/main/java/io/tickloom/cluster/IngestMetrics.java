package io.tickloom.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counters of the ingest path, registered once per node (Prometheus names {@code tickloom_ingest_*}). */
public final class IngestMetrics {
  private final Counter received;
  private final Counter accepted;
  private final Counter duplicates;
  private final Counter rejected;
  private final Counter unknownInstrument;
  private final Counter invalid;
  private final Counter stored;
  private final Counter finalBars;
  private final Counter storeFailures;
  private final Counter undelivered;

  public IngestMetrics(MeterRegistry registry) {
    received = Counter.builder("tickloom.ingest.received").description("ticks offered to the ingest stream").register(registry);
    accepted = Counter.builder("tickloom.ingest.accepted").description("ticks accepted by instrument entities").register(registry);
    duplicates = Counter.builder("tickloom.ingest.duplicates").description("ticks dropped as duplicates").register(registry);
    rejected = Counter.builder("tickloom.ingest.rejected").description("ticks refused by an entity").register(registry);
    unknownInstrument = Counter.builder("tickloom.ingest.unknown.instrument").description("ticks for tokens not in the instrument master").register(registry);
    invalid = Counter.builder("tickloom.ingest.invalid").description("ticks with invalid fields (price, qty, times)").register(registry);
    stored = Counter.builder("tickloom.ingest.stored").description("ticks durably stored").register(registry);
    finalBars = Counter.builder("tickloom.bars.final").description("final and revised bars emitted").register(registry);
    undelivered = Counter.builder("tickloom.ingest.undelivered").description("ticks dropped because their entity could not be reached").register(registry);
    storeFailures = Counter.builder("tickloom.ingest.store.failures").description("tick store writes that failed and were retried").register(registry);
  }

  void onReceived(int n) { received.increment(n); }
  void onBatch(int acc, int dup, int rej) {
    if (acc > 0) accepted.increment(acc);
    if (dup > 0) duplicates.increment(dup);
    if (rej > 0) rejected.increment(rej);
  }
  void onUnknown(int n) { unknownInstrument.increment(n); }
  void onInvalid(int n) { invalid.increment(n); }
  void onStored(int n) { stored.increment(n); }
  void onFinalBars(int n) { finalBars.increment(n); }
  void onStoreFailure() { storeFailures.increment(); }
  void onUndelivered(int n) { undelivered.increment(n); }

  public double storedCount() { return stored.count(); }
  public double acceptedCount() { return accepted.count(); }
  public double duplicateCount() { return duplicates.count(); }
}
