package io.tickloom.cluster.oms;

import com.typesafe.config.Config;
import io.tickloom.cluster.LiveMarket;
import io.tickloom.cluster.MarketEvent;
import io.tickloom.protocol.Side;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timestamps;
import io.tickloom.protocol.TradingHours;
import io.tickloom.protocol.bars.SessionCalendar;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated venue (one actor per node) that fills orders against the instrument entities' live market
 * ({@link LiveMarket}). Behind {@link BrokerAdapter} like a real broker would be; its reports go to the OMS through
 * {@link BrokerAdapter.Reports}.
 *
 * <p>Every request reaches the venue after a random latency in {@code [min, max]} ({@code tickloom.oms.paper.latency},
 * default 0–5 ms; a timer, nothing blocks), in the order it was sent. Then:
 * <ul>
 *   <li><b>new</b>: the instrument's last price is asked ({@link LiveMarket#lastPrice}). A MARKET order is accepted and
 *       filled in full at the last price, or rejected when there is none. A LIMIT order is accepted; if it is marketable
 *       (BUY limit &ge; last, SELL limit &le; last) it fills in full at the last price, else an IOC order expires and a
 *       DAY/GTC order rests (also when no last price is known yet). SL/SL_M orders are rejected (not simulated yet).</li>
 *   <li><b>resting</b> orders fill on later trades: while it has resting orders for an instrument the broker subscribes
 *       to its {@link MarketEvent.Ticks}; a tick at or through the limit (BUY: tick price &le; limit, SELL: &ge;) fills
 *       resting orders in arrival order, at the limit price, by at most the tick's quantity in total (partial fills;
 *       a tick with qty 0 fills nothing).</li>
 *   <li><b>cancel</b> of a resting order: cancel ack; of an order no longer working (filled, expired, unknown): reject
 *       ("too late").</li>
 *   <li><b>modify</b> of a resting order to total qty/price: modify ack (rejected when the new qty does not exceed what
 *       already filled, or the order no longer works); if the new price is marketable against the last trade seen it
 *       fills the rest at that price.</li>
 * </ul>
 * <b>DAY expiry</b>: a resting DAY order expires at the end of its instrument's session ({@link SessionCalendar} over
 * the instrument's {@link TradingHours}; placed while the venue is closed: the end of the next session; around-the-clock
 * venues: the end of the trading day, i.e. the next day's open). One timer for the earliest expiry; when it fires, every
 * DAY order whose end has passed by the broker's clock is removed and reported {@code expired}. An instrument whose
 * hours are unknown keeps its DAY orders like GTC. GTC orders never expire.
 *
 * <p>Trade ids are {@code PAPER-<start ms>-<n>}: unique per broker instance. Not simulated: stop orders, queue position,
 * order book depth. Resting orders live in this actor's memory
 * only: a node restart forgets them (their entities stay ACCEPTED/PARTIALLY_FILLED until cancelled).
 *
 * <p><b>Reports reach the OMS at least once</b>, in order per order: one report per order in flight, the next once the
 * OMS has acknowledged it; a report whose ask fails (timeout, entity moving, journal away) is sent again with backoff
 * until acknowledged (repeats are no-ops in the order's rules: trade ids, idempotent acks); a refusal is logged as an
 * error, not retried. They live in this actor: a node that stops loses its unsent reports with its resting orders.
 *
 * <p><b>Repeated requests</b> (the OMS resends a request until the venue answers) are answered as the first: a new
 * order the venue knows is re-reported (accept, its fills with their trade ids, its end), a cancel or modify it applied
 * already is acknowledged again. The venue remembers the last 100,000 orders it finished. A new order whose last price
 * cannot be asked (its instrument's entity is moving) is left for the resend rather than rejected.
 */
public final class PaperBroker extends AbstractBehavior<PaperBroker.Command> {
  private static final Logger log = LoggerFactory.getLogger(PaperBroker.class);

  /**
   * {@code tickloom.oms.paper}.
   *
   * @param minLatency least delay before the venue sees a request
   * @param maxLatency greatest delay (uniform in between)
   */
  public record Settings(Duration minLatency, Duration maxLatency) {
    public Settings {
      if (minLatency.isNegative() || maxLatency.compareTo(minLatency) < 0) {
        throw new IllegalArgumentException("tickloom.oms.paper.latency: need 0 <= min <= max, got " + minLatency + ", " + maxLatency);
      }
    }

    /** Reads {@code tickloom.oms.paper} of a node's configuration. */
    public static Settings fromConfig(Config config) {
      Config c = config.getConfig("tickloom.oms.paper.latency");
      return new Settings(c.getDuration("min"), c.getDuration("max"));
    }
  }

  public sealed interface Command {}

  /** A new order from the OMS (PENDING_NEW). */
  public record New(OrderView order) implements Command {}

  /** A modify from the OMS (PENDING_MODIFY: pendingQty, pendingPrice). */
  public record Modify(OrderView order) implements Command {}

  /** A cancel from the OMS. */
  public record Cancel(OrderView order) implements Command {}

  /** An order the OMS has working here, told when its entity starts (see {@link BrokerAdapter#reconcile}). */
  public record Reconcile(OrderView order) implements Command {}

  /** Stop the broker. */
  public enum Stop implements Command { INSTANCE }

  private enum Wake implements Command { INSTANCE }

  private record PriceKnown(OrderView order, OptionalLong last, Throwable failure) implements Command {}

  private record Market(MarketEvent event) implements Command {}

  /** A report to the OMS not acknowledged yet (see {@link #send}). */
  private static final class Report {
    final String what;
    final OrderId id;
    final java.util.function.Supplier<CompletionStage<OrderAck>> call;
    int attempts;

    Report(String what, OrderId id, java.util.function.Supplier<CompletionStage<OrderAck>> call) {
      this.what = what;
      this.id = id;
      this.call = call;
    }
  }

  private record ReportDone(Report report, Throwable failure) implements Command {}

  private record ReportRetry(OrderId id) implements Command {}

  private enum DayEnd implements Command { INSTANCE }

  /** Starts the node's paper broker as a system actor and returns its adapter. */
  public static BrokerAdapter start(ActorSystem<?> system, LiveMarket live, BrokerAdapter.Reports reports, Settings settings) {
    return start(system, live, reports, settings, token -> null);
  }

  /**
   * Starts the node's paper broker; {@code hours} gives an instrument's trading hours for DAY expiry (null: unknown, its
   * DAY orders rest like GTC), on the wall clock.
   */
  public static BrokerAdapter start(ActorSystem<?> system, LiveMarket live, BrokerAdapter.Reports reports, Settings settings,
      LongFunction<TradingHours> hours) {
    ActorRef<Command> ref = system.systemActorOf(create(live, reports, settings, "PAPER-" + System.currentTimeMillis(), hours,
        () -> Timestamps.of(java.time.Instant.now())), "paper-broker", Props.empty());
    return adapter(ref);
  }

  /** The broker's behavior without DAY expiry; {@code tradeIdPrefix} makes its trade ids unique (a node start time). */
  public static Behavior<Command> create(LiveMarket live, BrokerAdapter.Reports reports, Settings settings, String tradeIdPrefix) {
    return create(live, reports, settings, tradeIdPrefix, token -> null, () -> Timestamps.of(java.time.Instant.now()));
  }

  /**
   * The broker's behavior.
   *
   * @param hours an instrument's trading hours (null when unknown: no DAY expiry for it)
   * @param clock epoch nanoseconds, the time DAY expiry is judged by (the actor's timers only wake the broker)
   */
  public static Behavior<Command> create(LiveMarket live, BrokerAdapter.Reports reports, Settings settings, String tradeIdPrefix,
      LongFunction<TradingHours> hours, LongSupplier clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new PaperBroker(ctx, timers, live, reports, settings, tradeIdPrefix,
        hours, clock)));
  }

  /** {@link BrokerAdapter} over a running broker actor. */
  public static BrokerAdapter adapter(ActorRef<Command> ref) {
    return new BrokerAdapter() {
      @Override
      public String name() {
        return "paper";
      }

      @Override
      public void place(OrderView order) {
        ref.tell(new New(order));
      }

      @Override
      public void modify(OrderView order) {
        ref.tell(new Modify(order));
      }

      @Override
      public void cancel(OrderView order) {
        ref.tell(new Cancel(order));
      }

      @Override
      public void reconcile(OrderView order) {
        ref.tell(new Reconcile(order));
      }

      @Override
      public void stop() {
        ref.tell(Stop.INSTANCE);
      }
    };
  }

  /** One order resting at the venue. */
  private static final class Resting {
    final OrderId id;
    final Side side;
    /** Epoch ns at which a DAY order expires; {@link Long#MAX_VALUE} never. */
    final long expiresAt;
    long qty;
    long price;
    long filled;

    Resting(OrderId id, Side side, long qty, long price, long expiresAt) {
      this.id = id;
      this.side = side;
      this.expiresAt = expiresAt;
      this.qty = qty;
      this.price = price;
    }

    long remaining() {
      return qty - filled;
    }

    /** Whether a trade at {@code tradePrice} reaches this order's limit. */
    boolean crossedBy(long tradePrice) {
      return side == Side.BUY ? tradePrice <= price : tradePrice >= price;
    }
  }

  private record Delayed(long due, Command request) {}

  /** What the venue knows of an order it was sent: being priced, resting, or done (and how), with its fills. */
  private static final class Known {
    boolean pricing = true;
    boolean accepted;
    /** null while working; "filled", "cancelled", "expired" or "rejected". */
    String end;
    String reason;
    final java.util.List<Object[]> fills = new java.util.ArrayList<>(1);
  }

  /** Orders the venue remembers, to answer a repeated request as the first (bounded: the oldest finished are forgotten). */
  private final LinkedHashMap<OrderId, Known> known = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<OrderId, Known> eldest) {
      return size() > KNOWN_ORDERS && eldest.getValue().end != null;
    }
  };
  private static final int KNOWN_ORDERS = 100_000;

  private final TimerScheduler<Command> timers;
  /** Reports not yet acknowledged by the OMS, per order, in the order produced; the head is in flight. */
  private final Map<OrderId, ArrayDeque<Report>> outbox = new HashMap<>();
  private final LiveMarket live;
  private final BrokerAdapter.Reports reports;
  private final Settings settings;
  private final String tradeIdPrefix;
  private final ActorRef<MarketEvent> marketRef;
  private final Random random = new Random();
  private final ArrayDeque<Delayed> inFlight = new ArrayDeque<>();
  private long lastDue = Long.MIN_VALUE;
  private long trades;
  /** Resting orders by instrument, each in arrival order; an instrument is subscribed while it has any. */
  private final Map<Long, LinkedHashMap<OrderId, Resting>> resting = new HashMap<>();
  private final Map<OrderId, Long> tokenOf = new HashMap<>();
  /** The last trade price seen per instrument (from last-price asks and subscribed ticks). */
  private final Map<Long, Long> lastSeen = new HashMap<>();
  private final LongFunction<TradingHours> hours;
  private final LongSupplier clock;
  /** Session calendars by instrument (null value: hours unknown). */
  private final Map<Long, SessionCalendar> calendars = new HashMap<>();
  /** When the DayEnd timer is due, epoch ns ({@link Long#MAX_VALUE}: not running). */
  private long dayTimerAt = Long.MAX_VALUE;

  private PaperBroker(ActorContext<Command> ctx, TimerScheduler<Command> timers, LiveMarket live, BrokerAdapter.Reports reports,
      Settings settings, String tradeIdPrefix, LongFunction<TradingHours> hours, LongSupplier clock) {
    super(ctx);
    this.hours = hours;
    this.clock = clock;
    this.timers = timers;
    this.live = live;
    this.reports = reports;
    this.settings = settings;
    this.tradeIdPrefix = tradeIdPrefix;
    this.marketRef = ctx.messageAdapter(MarketEvent.class, Market::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(New.class, this::delay)
        .onMessage(Modify.class, this::delay)
        .onMessage(Cancel.class, this::delay)
        .onMessage(Reconcile.class, this::delay)
        .onMessageEquals(Wake.INSTANCE, this::drain)
        .onMessage(PriceKnown.class, this::onPrice)
        .onMessage(Market.class, this::onMarket)
        .onMessageEquals(DayEnd.INSTANCE, this::onDayEnd)
        .onMessageEquals(Stop.INSTANCE, this::stop)
        .onMessage(ReportDone.class, this::onReportDone)
        .onMessage(ReportRetry.class, this::onReportRetry)
        .build();
  }

  // --- latency: requests reach the venue in the order sent, each after its random delay -------------------------

  private Behavior<Command> delay(Command request) {
    long min = settings.minLatency().toNanos();
    long span = settings.maxLatency().toNanos() - min;
    long delay = min + (span <= 0 ? 0 : (long) (random.nextDouble() * (span + 1)));
    long due = Math.max(System.nanoTime() + delay, lastDue);
    lastDue = due;
    inFlight.add(new Delayed(due, request));
    return drain();
  }

  private Behavior<Command> drain() {
    long now = System.nanoTime();
    while (!inFlight.isEmpty() && inFlight.peek().due() - now <= 0) arrive(inFlight.poll().request());
    if (!inFlight.isEmpty()) timers.startSingleTimer(Wake.INSTANCE, Wake.INSTANCE, Duration.ofNanos(inFlight.peek().due() - now));
    return this;
  }

  private void arrive(Command request) {
    if (request instanceof New n) onNew(n.order());
    else if (request instanceof Modify m) onModify(m.order());
    else if (request instanceof Cancel c) onCancel(c.order());
    else if (request instanceof Reconcile r) onReconcile(r.order());
  }

  // --- the venue ---------------------------------------------------------------------------------------------

  private void onNew(OrderView o) {
    OrderId id = OrderId.parse(o.orderId());
    Known k = known.get(id);
    if (k != null) {
      repeat(id, k);
      return;
    }
    k = new Known();
    known.put(id, k);
    if (o.type() != OrderType.MARKET && o.type() != OrderType.LIMIT) {
      end(id, "rejected", "paper broker: " + o.type() + " orders are not simulated");
      send("reject", id, rejectedCall(id, k.reason));
      return;
    }
    getContext().pipeToSelf(live.lastPrice(o.token()), (last, failure) -> new PriceKnown(o, last, failure));
  }

  /**
   * A new order the venue was sent before (the OMS resends until it hears back): answered as the first time, from what
   * the venue knows of it: nothing while it is being priced, else its accept and, for one that ended, its fills and end.
   */
  private void repeat(OrderId id, Known k) {
    if (k.pricing) return;
    if (k.accepted) send("accept (repeated)", id, () -> reports.accepted(id));
    for (Object[] f : k.fills) send("fill " + f[0] + " (repeated)", id, () -> reports.filled(id, (long) f[1], (long) f[2], (String) f[0]));
    if (k.end == null) return;
    switch (k.end) {
      case "rejected" -> send("reject (repeated)", id, rejectedCall(id, k.reason));
      case "cancelled" -> send("cancel-ack (repeated)", id, () -> reports.cancelled(id));
      case "expired" -> send("expire (repeated)", id, () -> reports.expired(id));
      default -> { }
    }
  }

  private void end(OrderId id, String how, String reason) {
    Known k = known.get(id);
    if (k == null) return;
    k.pricing = false;
    k.end = how;
    k.reason = reason;
  }

  private Behavior<Command> onPrice(PriceKnown p) {
    OrderView o = p.order();
    OrderId id = OrderId.parse(o.orderId());
    OptionalLong last = p.failure() == null && p.last() != null ? p.last() : OptionalLong.empty();
    if (last.isPresent()) lastSeen.put(o.token(), last.getAsLong());
    Known k = known.computeIfAbsent(id, x -> new Known());
    k.pricing = false;
    if (o.type() == OrderType.MARKET) {
      if (last.isEmpty()) {
        if (p.failure() != null) {
          // The instrument's entity did not answer (it is moving): as if the request never arrived, the OMS resends it.
          known.remove(id);
          log.info("paper broker: last price of instrument {} unavailable ({}); order {} waits for the OMS to resend it", o.token(),
              p.failure().getMessage(), id);
          return this;
        }
        end(id, "rejected", "paper broker: no last price for instrument " + o.token() + "; cannot fill a MARKET order");
        send("reject", id, rejectedCall(id, k.reason));
        return this;
      }
      k.accepted = true;
      send("accept", id, () -> reports.accepted(id));
      fill(id, o.qty(), last.getAsLong());
      end(id, "filled", null);
      return this;
    }
    k.accepted = true;
    send("accept", id, () -> reports.accepted(id));
    if (last.isPresent() && marketable(o.side(), o.price(), last.getAsLong())) {
      fill(id, o.qty(), last.getAsLong());
      end(id, "filled", null);
    } else if (o.tif() == TimeInForce.IOC) {
      end(id, "expired", null);
      send("expire", id, () -> reports.expired(id));
    } else {
      rest(new Resting(id, o.side(), o.qty(), o.price(), o.tif() == TimeInForce.DAY ? dayEnd(o.token()) : Long.MAX_VALUE), o.token());
    }
    return this;
  }

  /**
   * An order the OMS has working here. Known and ended: its end (and fills) reported again, the OMS missed them. Known
   * and working: nothing to do. Unknown (this venue restarted and forgot it, or the order's entity moved here from
   * another node's venue): a LIMIT order rests again as it stands, its filled quantity taken from the OMS.
   */
  private void onReconcile(OrderView o) {
    OrderId id = OrderId.parse(o.orderId());
    Known k = known.get(id);
    if (k != null) {
      if (k.end != null && !k.pricing) repeat(id, k);
      return;
    }
    boolean working = o.status() == OrderStatus.ACCEPTED || o.status() == OrderStatus.PARTIALLY_FILLED
        || o.status() == OrderStatus.PENDING_CANCEL || o.status() == OrderStatus.PENDING_MODIFY;
    if (!working || o.type() != OrderType.LIMIT || o.filledQty() >= o.qty()) return;
    k = new Known();
    k.pricing = false;
    k.accepted = true;
    known.put(id, k);
    Resting r = new Resting(id, o.side(), o.qty(), o.price(), o.tif() == TimeInForce.DAY ? dayEnd(o.token()) : Long.MAX_VALUE);
    r.filled = o.filledQty();
    rest(r, o.token());
    log.info("paper broker: order {} taken back from the OMS ({} {} of {} filled at {}), resting again", id, o.status(), o.filledQty(),
        o.qty(), o.price());
  }

  private void onModify(OrderView o) {
    OrderId id = OrderId.parse(o.orderId());
    Long token = tokenOf.get(id);
    Resting r = token == null ? null : resting.get(token).get(id);
    if (r == null) {
      send("modify-reject", id, () -> reports.modifyRejected(id, "paper broker: too late to modify: order is not working (filled, expired or cancelled)"));
      return;
    }
    if (r.qty == o.pendingQty() && r.price == o.pendingPrice()) {
      send("modify-ack (repeated)", id, () -> reports.modified(id)); // a resent modify the venue applied already
      return;
    }
    if (o.pendingQty() <= r.filled) {
      send("modify-reject", id, modifyRejectedCall(id, "paper broker: modify qty " + o.pendingQty() + " does not exceed the filled qty " + r.filled));
      return;
    }
    r.qty = o.pendingQty();
    r.price = o.pendingPrice();
    send("modify-ack", id, () -> reports.modified(id));
    Long last = lastSeen.get(token);
    if (last != null && marketable(r.side, r.price, last)) {
      fill(id, r.remaining(), last);
      remove(token, id);
      end(id, "filled", null);
    }
  }

  private void onCancel(OrderView o) {
    OrderId id = OrderId.parse(o.orderId());
    Long token = tokenOf.get(id);
    if (token == null) {
      Known k = known.get(id);
      if (k != null && "cancelled".equals(k.end)) {
        send("cancel-ack (repeated)", id, () -> reports.cancelled(id)); // a resent cancel the venue applied already
        return;
      }
      send("cancel-reject", id, () -> reports.cancelRejected(id, "paper broker: too late to cancel: order is not working (filled, expired or cancelled)"));
      return;
    }
    remove(token, id);
    end(id, "cancelled", null);
    send("cancel-ack", id, () -> reports.cancelled(id));
  }

  private Behavior<Command> onMarket(Market m) {
    if (!(m.event() instanceof MarketEvent.Ticks ticks)) return this;
    long token = ticks.token();
    LinkedHashMap<OrderId, Resting> book = resting.get(token);
    if (book == null) return this; // unsubscribed meanwhile
    for (Tick t : ticks.ticks()) {
      lastSeen.put(token, t.price());
      long available = t.qty();
      for (Iterator<Resting> it = book.values().iterator(); it.hasNext() && available > 0; ) {
        Resting r = it.next();
        if (!r.crossedBy(t.price())) continue;
        long q = Math.min(r.remaining(), available);
        available -= q;
        r.filled += q;
        fill(r.id, q, r.price);
        if (r.remaining() == 0) {
          it.remove();
          tokenOf.remove(r.id);
          end(r.id, "filled", null);
        }
      }
    }
    if (book.isEmpty()) {
      resting.remove(token);
      live.unsubscribe(token, marketRef);
    }
    return this;
  }

  // --- DAY expiry -------------------------------------------------------------------------------------------------

  /** End of the session a DAY order of {@code token} placed now belongs to; {@link Long#MAX_VALUE} when hours are unknown. */
  private long dayEnd(long token) {
    SessionCalendar cal = calendars.computeIfAbsent(token, t -> {
      TradingHours h = hours.apply(t);
      return h == null ? null : new SessionCalendar(h);
    });
    if (cal == null) return Long.MAX_VALUE;
    long now = clock.getAsLong();
    long end = cal.sessionEnd(now);
    if (end == SessionCalendar.NO_SESSION) end = cal.sessionEnd(cal.nextSessionStart(now));
    return end == SessionCalendar.NO_SESSION ? Long.MAX_VALUE : end;
  }

  /** (Re)arms the DayEnd timer for the earliest DAY expiry among resting orders. */
  private void armDayTimer() {
    long earliest = Long.MAX_VALUE;
    for (LinkedHashMap<OrderId, Resting> book : resting.values()) {
      for (Resting r : book.values()) earliest = Math.min(earliest, r.expiresAt);
    }
    if (earliest == dayTimerAt) return;
    dayTimerAt = earliest;
    if (earliest == Long.MAX_VALUE) {
      timers.cancel(DayEnd.INSTANCE);
      return;
    }
    long delay = Math.max(0, earliest - clock.getAsLong());
    timers.startSingleTimer(DayEnd.INSTANCE, DayEnd.INSTANCE, Duration.ofNanos(delay));
  }

  private Behavior<Command> onDayEnd() {
    long now = clock.getAsLong();
    dayTimerAt = Long.MAX_VALUE;
    for (LinkedHashMap<OrderId, Resting> book : java.util.List.copyOf(resting.values())) {
      for (Resting r : java.util.List.copyOf(book.values())) {
        if (r.expiresAt <= now) {
          remove(tokenOf.get(r.id), r.id);
          end(r.id, "expired", null);
          send("expire", r.id, () -> reports.expired(r.id));
        }
      }
    }
    armDayTimer();
    return this;
  }

  private Behavior<Command> stop() {
    for (Long token : resting.keySet()) live.unsubscribe(token, marketRef);
    return Behaviors.stopped();
  }

  // --- helpers ----------------------------------------------------------------------------------------------

  private static boolean marketable(Side side, long limit, long last) {
    return side == Side.BUY ? limit >= last : limit <= last;
  }

  private void rest(Resting r, long token) {
    LinkedHashMap<OrderId, Resting> book = resting.get(token);
    if (book == null) {
      book = new LinkedHashMap<>();
      resting.put(token, book);
      live.subscribe(token, marketRef);
    }
    book.put(r.id, r);
    tokenOf.put(r.id, token);
    if (r.expiresAt < dayTimerAt) armDayTimer();
  }

  private void remove(long token, OrderId id) {
    tokenOf.remove(id);
    LinkedHashMap<OrderId, Resting> book = resting.get(token);
    if (book == null) return;
    book.remove(id);
    if (book.isEmpty()) {
      resting.remove(token);
      live.unsubscribe(token, marketRef);
    }
  }

  private void fill(OrderId id, long qty, long price) {
    String tradeId = tradeIdPrefix + "-" + (++trades);
    Known k = known.get(id);
    if (k != null) k.fills.add(new Object[] {tradeId, qty, price});
    send("fill " + tradeId, id, () -> reports.filled(id, qty, price, tradeId));
  }

  /** Reports are answered asynchronously; a refusal or failure is logged (an overfill here would be a broker bug). */
  // --- reports: at least once, in order per order ---------------------------------------------------------------

  /**
   * Hands a report to the OMS, at least once: one report per order in flight, the next after the OMS acknowledged it, so
   * an order's reports arrive in the order the venue produced them. A report that fails (the ask timed out, the order's
   * entity is moving, the journal is away) is sent again after a backoff (200 ms doubling to 5 s) until the OMS answers;
   * repeats are harmless (a fill's trade id, and every other report, are idempotent in the order's rules). A refusal
   * (an answer, e.g. an overfill) is not retried: it is logged as an error to be reconciled.
   */
  private void send(String what, OrderId id, java.util.function.Supplier<CompletionStage<OrderAck>> call) {
    ArrayDeque<Report> queue = outbox.computeIfAbsent(id, k -> new ArrayDeque<>());
    queue.add(new Report(what, id, call));
    if (queue.size() == 1) attempt(queue.peek());
  }

  /** A reject report, its reason taken now (the venue's state may change before a retry). */
  private java.util.function.Supplier<CompletionStage<OrderAck>> rejectedCall(OrderId id, String reason) {
    return () -> reports.rejected(id, reason);
  }

  private java.util.function.Supplier<CompletionStage<OrderAck>> modifyRejectedCall(OrderId id, String reason) {
    return () -> reports.modifyRejected(id, reason);
  }

  private void attempt(Report r) {
    r.attempts++;
    CompletionStage<OrderAck> stage;
    try {
      stage = r.call.get();
    } catch (RuntimeException e) {
      stage = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    ActorRef<Command> self = getContext().getSelf();
    io.tickloom.cluster.Futures.plain(stage).whenComplete((ack, e) -> self.tell(new ReportDone(r, e)));
  }

  private Behavior<Command> onReportDone(ReportDone d) {
    Report r = d.report();
    ArrayDeque<Report> queue = outbox.get(r.id);
    if (queue == null || queue.peek() != r) return this;
    Throwable e = d.failure() instanceof java.util.concurrent.CompletionException ce && ce.getCause() != null ? ce.getCause() : d.failure();
    if (e != null && !(e instanceof org.apache.pekko.pattern.StatusReply.ErrorMessage)) {
      long backoff = Math.min(5_000L, 200L << Math.min(r.attempts - 1, 5));
      if (r.attempts == 1 || r.attempts % 10 == 0) {
        log.warn("paper broker: {} of order {} not acknowledged ({}, attempt {}); sent again in {} ms until it is", r.what, r.id,
            e.toString(), r.attempts, backoff);
      }
      timers.startSingleTimer("report-" + r.id.value(), new ReportRetry(r.id), Duration.ofMillis(backoff));
      return this;
    }
    if (e != null) log.error("paper broker: {} of order {} was refused by the OMS: {} (reconcile with the venue)", r.what, r.id, e.getMessage());
    queue.poll();
    if (queue.isEmpty()) outbox.remove(r.id);
    else attempt(queue.peek());
    return this;
  }

  private Behavior<Command> onReportRetry(ReportRetry retry) {
    ArrayDeque<Report> queue = outbox.get(retry.id());
    if (queue != null && !queue.isEmpty()) attempt(queue.peek());
    return this;
  }
}
