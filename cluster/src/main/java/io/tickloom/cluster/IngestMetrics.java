package io.tickloom.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tickloom.protocol.Gap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of the ingest path, registered once per node (Prometheus names {@code tickloom_ingest_*},
 * {@code tickloom_gaps_*}, {@code tickloom_feed_*}). Per-source meters carry a {@code source} tag
 * ({@code sim}, {@code kafka}, {@code binance-ws:1}, {@code http}, ...).
 */
public final class IngestMetrics {
  private final MeterRegistry registry;
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
  private final Counter poison;
  private final Counter jumps;
  private final Counter gapsOpened;
  private final Counter gapsFilled;
  private final Counter gapsLost;
  private final ConcurrentHashMap<String, Source> sources = new ConcurrentHashMap<>();

  public IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
    received = Counter.builder("tickloom.ingest.received").description("ticks offered to the ingest stream").register(registry);
    accepted = Counter.builder("tickloom.ingest.accepted").description("ticks accepted by instrument entities").register(registry);
    duplicates = Counter.builder("tickloom.ingest.duplicates").description("ticks dropped as duplicates").register(registry);
    rejected = Counter.builder("tickloom.ingest.rejected").description("ticks refused by an entity").register(registry);
    unknownInstrument = Counter.builder("tickloom.ingest.unknown.instrument").description("ticks for tokens not in the instrument master").register(registry);
    invalid = Counter.builder("tickloom.ingest.invalid").description("ticks with invalid fields (price, qty, times)").register(registry);
    stored = Counter.builder("tickloom.ingest.stored").description("ticks durably stored").register(registry);
    finalBars = Counter.builder("tickloom.bars.final").description("final and revised bars emitted").register(registry);
    undelivered = Counter.builder("tickloom.ingest.undelivered").description("ticks dropped because their entity could not be reached").register(registry);
    poison = Counter.builder("tickloom.ingest.poison").description("ticks and depth messages an entity's kernels could not process (refused alone)")
        .register(registry);
    jumps = Counter.builder("tickloom.ingest.implausible.jumps")
        .description("ticks refused because their seq or trade id jumped implausibly far (max-seq-jump) without confirmation").register(registry);
    storeFailures = Counter.builder("tickloom.ingest.store.failures").description("tick store writes that failed and were retried").register(registry);
    gapsOpened = Counter.builder("tickloom.gaps.opened").description("sequence gaps opened").register(registry);
    gapsFilled = Counter.builder("tickloom.gaps.filled").description("sequence gaps filled by late or other-feed ticks").register(registry);
    gapsLost = Counter.builder("tickloom.gaps.lost").description("sequence gaps declared lost after gap-timeout").register(registry);
  }

  /**
   * The meters of one ingest source: ticks in, records rejected before the pipeline (parse errors, unknown
   * symbols; dead-lettered where the source has a dead-letter topic), disconnects and reconnects, and for
   * Kafka the consumer lag. Created on first use, shared afterwards.
   */
  public Source source(String name) {
    return sources.computeIfAbsent(name, n -> new Source(registry, n));
  }

  public static final class Source {
    private final MeterRegistry registry;
    private final String name;
    private final Counter ticks;
    private final Counter rejects;
    private final Counter deadLettered;
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong connected = new AtomicLong();
    /** Connection meters exist only for sources that connect (WebSocket clients), registered on first use. */
    private volatile Counter disconnects;
    private volatile Counter reconnects;

    private Source(MeterRegistry r, String name) {
      this.registry = r;
      this.name = name;
      ticks = Counter.builder("tickloom.ingest.source.ticks").tag("source", name).description("ticks read from the source").register(r);
      rejects = Counter.builder("tickloom.ingest.source.rejects").tag("source", name)
          .description("records refused before the pipeline (unparseable, unknown instrument, bad field)").register(r);
      deadLettered = Counter.builder("tickloom.ingest.source.dead.lettered").tag("source", name)
          .description("records written to the dead-letter topic").register(r);
      Gauge.builder("tickloom.ingest.source.lag", lag, AtomicLong::get).tag("source", name)
          .description("records behind the end of the source (Kafka consumer lag, summed over partitions)").register(r);
    }

    private synchronized void connectionMeters() {
      if (disconnects != null) return;
      reconnects = Counter.builder("tickloom.feed.reconnects").tag("source", name).description("feed connections re-established").register(registry);
      Gauge.builder("tickloom.feed.connected", connected, AtomicLong::get).tag("source", name)
          .description("1 while the feed's connection is up").register(registry);
      disconnects = Counter.builder("tickloom.feed.disconnects").tag("source", name).description("feed connections lost").register(registry);
    }

    public void onTicks(int n) { if (n > 0) ticks.increment(n); }
    public void onReject() { rejects.increment(); }
    public void onDeadLettered(int n) { if (n > 0) deadLettered.increment(n); }
    public void onDisconnect() {
      connectionMeters();
      connected.set(0);
      disconnects.increment();
    }
    public void onConnect(boolean again) {
      connectionMeters();
      connected.set(1);
      if (again) reconnects.increment();
    }
    public void lag(long records) { lag.set(records); }
    public double tickCount() { return ticks.count(); }
    public double rejectCount() { return rejects.count(); }
    public double reconnectCount() { return reconnects == null ? 0 : reconnects.count(); }
    public double disconnectCount() { return disconnects == null ? 0 : disconnects.count(); }
    public double deadLetterCount() { return deadLettered.count(); }
    public long lag() { return lag.get(); }
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
  void onPoison(int n) { poison.increment(n); }
  void onJump(int n) { jumps.increment(n); }
  void onGap(Gap.State state) {
    switch (state) {
      case OPEN -> gapsOpened.increment();
      case FILLED -> gapsFilled.increment();
      case LOST -> gapsLost.increment();
    }
  }

  /** The meters of one kind of {@link IngestLanes} ({@code kind} ticks or depth). */
  Lanes lanes(String kind) {
    return new Lanes(registry, kind);
  }

  /**
   * Meters of the per-instrument delivery lanes: items held (offered, not yet released), offers waiting for room,
   * instruments whose entity does not answer, the longest a batch has waited so far, retries, and items dropped
   * because a bound was exceeded ({@code tickloom_ingest_overflow_total}: must stay 0 within the documented bounds).
   */
  public static final class Lanes {
    private final AtomicLong held = new AtomicLong();
    private final AtomicLong waitingOffers = new AtomicLong();
    private final AtomicLong away = new AtomicLong();
    private final AtomicLong oldestMs = new AtomicLong();
    private final Counter retries;
    private final Counter overflow;

    Lanes(MeterRegistry r, String kind) {
      Gauge.builder("tickloom.ingest.held", held, AtomicLong::get).tag("kind", kind)
          .description("items offered to the entities and not yet released (answered, or for ticks stored)").register(r);
      Gauge.builder("tickloom.ingest.waiting.offers", waitingOffers, AtomicLong::get).tag("kind", kind)
          .description("ingest batches waiting for room under max-held (the stream is backpressured meanwhile)").register(r);
      Gauge.builder("tickloom.ingest.instruments.away", away, AtomicLong::get).tag("kind", kind)
          .description("instruments whose entity does not answer (held until it does)").register(r);
      Gauge.builder("tickloom.ingest.oldest.batch.ms", oldestMs, AtomicLong::get).tag("kind", kind)
          .description("how long the oldest unanswered entity batch has waited, ms").register(r);
      retries = Counter.builder("tickloom.ingest.retries").tag("kind", kind).description("entity batches sent again after no answer").register(r);
      overflow = Counter.builder("tickloom.ingest.overflow").tag("kind", kind)
          .description("items dropped because a holding bound was exceeded (max-held-per-instrument, max-hold)").register(r);
    }

    void held(long items, int offers) {
      held.set(items);
      waitingOffers.set(offers);
    }

    void away(int delta) { away.addAndGet(delta); }
    void oldest(long ms) { oldestMs.set(ms); }
    void onRetry() { retries.increment(); }
    void onOverflow(int n) { overflow.increment(n); }
    public double overflowCount() { return overflow.count(); }
    public long heldCount() { return held.get(); }
    public long awayCount() { return away.get(); }
  }

  public double storedCount() { return stored.count(); }
  public double acceptedCount() { return accepted.count(); }
  public double duplicateCount() { return duplicates.count(); }
  public double gapsOpenedCount() { return gapsOpened.count(); }
  public double gapsFilledCount() { return gapsFilled.count(); }
}
