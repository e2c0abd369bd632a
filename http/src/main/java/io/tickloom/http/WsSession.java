package io.tickloom.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tickloom.cluster.MarketEvent;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.indicators.IndicatorSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One WebSocket connection (SPEC §6): parses client commands, keeps the connection's subscriptions, receives the
 * instruments' {@link MarketEvent}s from {@link io.tickloom.cluster.LiveMarket} and renders them as frames.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Never blocks and never backpressures the publisher: events arrive by {@code tell}; rendered frames wait in
 *       a queue of at most {@code outbound-queue-size}; when it is full the oldest frame is dropped and counted, and
 *       the next frame the client receives is {@code {"type":"dropped","dropped":n}}. Only one frame at a time is
 *       handed to the socket's stream (it acks each), so a slow client costs one bounded queue, nothing else.
 *   <li>A subscribe sends {@code subscribed}, then one {@code backfill} per (token, channel), then live frames.
 *       Live events arriving while the backfill is being read are held (bounded the same way) and sent after it,
 *       minus the ticks, bars and indicator values the backfill already contained, so the client sees neither a hole
 *       nor a duplicate.
 *   <li>{@code depth} is conflated instead of queued: at most one pending book per token, replaced by a newer one and
 *       rendered only when sent, alternating with the queued frames; its backfill is the current book.
 *   <li>Subscriptions to the live market are released when the connection ends, whichever side ends it.
 * </ul>
 */
final class WsSession extends AbstractBehavior<WsSession.Command> {

  sealed interface Command {}

  /** The outgoing stream is running and takes frames (one at a time) from {@code out}. */
  record OutboundReady(ActorRef<Out> out) implements Command {}

  /** The outgoing stream took the last frame. */
  enum OutAck implements Command { INSTANCE }

  /** The incoming stream starts; ack to get the first message. */
  record InboundInit(ActorRef<InAck> ack) implements Command {}

  /** One client message; ack to get the next (so a flooding client is backpressured by TCP). */
  record Inbound(ActorRef<InAck> ack, In message) implements Command {}

  enum InboundClosed implements Command { INSTANCE }

  record InboundFailed(Throwable cause) implements Command {}

  record Live(MarketEvent event) implements Command {}

  /** The current book for a {@code depth} subscription (its backfill), or why it could not be read. */
  record DepthBackfill(long token, io.tickloom.cluster.InstrumentEntity.BookView view, Throwable failure) implements Command {}

  record TickBackfill(long token, long generation, List<Tick> ticks, Throwable failure) implements Command {}

  record BarBackfill(long token, Timeframe tf, long generation, List<Bar> bars, Throwable failure) implements Command {}

  /** Stored confirmed values (oldest first), then the forming values, as read for an {@code indicators:<tf>} backfill. */
  record IndicatorBackfill(long token, Timeframe tf, long generation, List<MarketEvent.IndicatorUpdate> values, Throwable failure)
      implements Command {}

  /** A stream channel's source is ready (or {@code open} failed). */
  record StreamOpened(String channel, long generation, org.apache.pekko.stream.javadsl.Source<String, org.apache.pekko.NotUsed> frames,
      Throwable failure) implements Command {}

  /** A stream channel's source materialized into this session; ack to get its first frame. */
  record StreamInit(String channel, long generation, ActorRef<StreamAck> ack) implements Command {}

  /** One frame of a stream channel; ack to get the next. */
  record StreamFrame(String channel, long generation, ActorRef<StreamAck> ack, String frame) implements Command {}

  /** A stream channel's source completed ({@code failure} null) or failed. */
  record StreamEnded(String channel, long generation, Throwable failure) implements Command {}

  enum StreamAck { INSTANCE }

  /** A client message as read off the socket. */
  sealed interface In {
    record Text(String text) implements In {}

    /** A text message longer than {@code max-frame-size} characters (not read further). */
    record TooBig(int limit) implements In {}

    record Binary() implements In {}
  }

  enum InAck { INSTANCE }

  /** To the outgoing stream. */
  sealed interface Out {
    record Frame(String json) implements Out {}

    /** Complete the stream after the frames already handed over: the server then closes the socket (1000). */
    enum Complete implements Out { INSTANCE }
  }

  static Behavior<Command> create(HttpContext ctx, HttpMetrics metrics) {
    return create(ctx, metrics, null);
  }

  /** A session without limits of its own (tests). */
  static Behavior<Command> create(HttpContext ctx, HttpMetrics metrics, ApiKeys.Key key) {
    return create(ctx, metrics, key, new RateLimits(RateLimits.Settings.UNLIMITED), () -> { });
  }

  /**
   * A session for a connection that presented {@code key} ({@code null}: none), which stream channels may require,
   * with its limits ({@code tickloom.http.limits.websocket}); {@code release} runs when it ends (the connection count).
   */
  static Behavior<Command> create(HttpContext ctx, HttpMetrics metrics, ApiKeys.Key key, RateLimits limits, Runnable release) {
    return Behaviors.setup(context -> new WsSession(context, ctx, metrics, key, limits, release));
  }

  /** A channel of one instrument: {@code ticks}, {@code gaps}, {@code bars:<tf>} or {@code indicators:<tf>}. */
  record Channel(String kind, Timeframe tf) {
    static final String TICKS = "ticks";
    static final String GAPS = "gaps";
    static final String BARS = "bars";
    static final String INDICATORS = "indicators";
    /** The instrument's order book (issue 5): conflated per client, see {@link #offerDepth}. */
    static final String DEPTH = "depth";

    static Channel parse(String name) {
      String n = name.trim().toLowerCase(Locale.ROOT);
      if (n.equals(TICKS)) return new Channel(TICKS, null);
      if (n.equals(GAPS)) return new Channel(GAPS, null);
      if (n.equals(DEPTH)) return new Channel(DEPTH, null);
      for (String kind : List.of(BARS, INDICATORS)) {
        if (n.startsWith(kind + ':')) {
          try {
            return new Channel(kind, Timeframe.parse(n.substring(kind.length() + 1)));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown channel '" + name + "': " + e.getMessage());
          }
        }
      }
      throw new IllegalArgumentException("unknown channel '" + name
          + "' (available: ticks, gaps, depth, bars:<tf>, indicators:<tf> with tf one of 1s 5s 15s 1m 3m 5m 15m 30m 1h 1d)");
    }

    String wire() {
      return tf == null ? kind : kind + ':' + tf.label();
    }
  }

  /** What one connection holds for one instrument. */
  private static final class TokenSubs {
    final Instrument instrument;
    boolean ticks;
    boolean gaps;
    boolean depth;
    final EnumSet<Timeframe> bars = EnumSet.noneOf(Timeframe.class);
    final EnumSet<Timeframe> indicators = EnumSet.noneOf(Timeframe.class);
    /** (exchange time, dedupe key) of the ticks the last tick backfill sent: a catch-up after a resync skips them. */
    Set<List<Long>> backfilled = Set.of();
    /** Between a resync and its end: ticks the backfill sent are skipped. */
    boolean resyncing;

    TokenSubs(Instrument instrument) {
      this.instrument = instrument;
    }

    boolean has(Channel c) {
      return switch (c.kind()) {
        case Channel.TICKS -> ticks;
        case Channel.GAPS -> gaps;
        case Channel.DEPTH -> depth;
        case Channel.BARS -> bars.contains(c.tf());
        default -> indicators.contains(c.tf());
      };
    }

    void set(Channel c, boolean on) {
      switch (c.kind()) {
        case Channel.TICKS -> ticks = on;
        case Channel.GAPS -> gaps = on;
        case Channel.DEPTH -> depth = on;
        default -> {
          EnumSet<Timeframe> tfs = c.kind().equals(Channel.BARS) ? bars : indicators;
          if (on) tfs.add(c.tf());
          else tfs.remove(c.tf());
        }
      }
    }

    boolean isEmpty() {
      return !ticks && !gaps && !depth && bars.isEmpty() && indicators.isEmpty();
    }
  }

  private record Key(long token, Channel channel) {}

  /** A backfill being read; live events of its channel wait here meanwhile. */
  private static final class Pending {
    final long generation;
    final ArrayDeque<Object> held;

    Pending(long generation, ArrayDeque<Object> held) {
      this.generation = generation;
      this.held = held;
    }
  }

  private final HttpContext ctx;
  private final HttpMetrics metrics;
  private final HttpSettings.WebSocket limits;
  private final ActorRef<MarketEvent> liveRef;
  /** Output names of the node's indicators, the order stored values are sent in (as live values come). */
  private final List<String> nodeOutputs;

  private final Map<Long, TokenSubs> subs = new HashMap<>();
  private int subscriptionCount;
  private final Map<Key, Pending> pending = new HashMap<>();
  private long generations;
  /** The connection's API key, or null. */
  private final ApiKeys.Key key;
  /** Stream channels by name ({@code orders}, {@code replay:<id>}): opening (no switch yet) or running. */
  private final Map<String, OpenStream> streams = new HashMap<>();
  private final org.apache.pekko.stream.Materializer materializer;

  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private long dropped;
  /** Depth conflation: the latest book per token not sent yet (at most one each; rendered when sent). */
  private final LinkedHashMap<Long, MarketEvent.Depth> pendingDepth = new LinkedHashMap<>();
  /** Book clock of the latest book offered per token: an older one (a backfill answered late) is not sent after it. */
  private final Map<Long, Long> depthTs = new HashMap<>();
  /** Whether the frame in flight is a depth frame: depth and queued frames alternate, so neither starves the other. */
  private boolean lastWasDepth;
  private ActorRef<Out> out;
  private boolean inFlight;
  private boolean closing;
  private boolean completed;

  /** A subscribed stream channel; {@code generation} tells its frames from those of an earlier subscription of the same name. */
  private static final class OpenStream {
    final long generation;
    org.apache.pekko.stream.UniqueKillSwitch kill;

    OpenStream(long generation) {
      this.generation = generation;
    }
  }

  /** Messages and subscriptions added per second, this connection's ({@code tickloom.http.limits.websocket}). */
  private final RateLimits.Bucket messageBucket;
  private final RateLimits.Bucket subscribeBucket;
  /** Messages ignored over the message rate since the last {@code rate_limited} notice, and when that was sent. */
  private long ignoredMessages;
  private long lastIgnoredNotice = System.nanoTime() - 2_000_000_000L;
  /** Messages ignored in the current one-second window; that many ({@code close-after-ignored}) close the connection. */
  private long ignoredInWindow;
  private long ignoredWindowStart = System.nanoTime();
  private final int closeAfterIgnored;
  private final RateLimits.Rate limitsMessages;
  private final RateLimits.Rate limitsSubscribes;
  private final int maxBackfills;
  private int backfillsRunning;
  /** Backfill reads waiting for one of this connection's {@code backfills-in-flight} slots. */
  private final ArrayDeque<Runnable> backfillQueue = new ArrayDeque<>();
  private final Runnable release;

  private WsSession(ActorContext<Command> context, HttpContext ctx, HttpMetrics metrics, ApiKeys.Key key, RateLimits limits, Runnable release) {
    super(context);
    this.messageBucket = limits.bucket(limits.settings().messages());
    this.limitsMessages = limits.settings().messages();
    this.limitsSubscribes = limits.settings().subscriptionChanges();
    this.closeAfterIgnored = limits.settings().closeAfterIgnored();
    this.subscribeBucket = limits.bucket(limits.settings().subscriptionChanges());
    this.maxBackfills = Math.max(1, limits.settings().backfillsInFlight());
    this.release = release;
    this.ctx = ctx;
    this.key = key;
    this.materializer = org.apache.pekko.stream.Materializer.createMaterializer(context);
    this.metrics = metrics;
    this.limits = ctx.settings().ws();
    this.liveRef = context.messageAdapter(MarketEvent.class, Live::new);
    this.nodeOutputs = IndicatorSet.of(ctx.settings().nodeIndicators()).outputNames();
    metrics.wsConnections.incrementAndGet();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(OutboundReady.class, this::onOutboundReady)
        .onMessage(OutAck.class, a -> onOutAck())
        .onMessage(InboundInit.class, this::onInboundInit)
        .onMessage(Inbound.class, this::onInbound)
        .onMessage(Live.class, this::onLive)
        .onMessage(DepthBackfill.class, this::onDepthBackfill)
        .onMessage(TickBackfill.class, this::onTickBackfill)
        .onMessage(BarBackfill.class, this::onBarBackfill)
        .onMessage(IndicatorBackfill.class, this::onIndicatorBackfill)
        .onMessage(StreamOpened.class, this::onStreamOpened)
        .onMessage(StreamInit.class, this::onStreamInit)
        .onMessage(StreamFrame.class, this::onStreamFrame)
        .onMessage(StreamEnded.class, this::onStreamEnded)
        .onMessage(InboundClosed.class, c -> Behaviors.stopped())
        .onMessage(InboundFailed.class, this::onInboundFailed)
        .onSignal(PostStop.class, s -> onStop())
        .build();
  }

  // ---- outbound: bounded, drop-oldest ----

  private Behavior<Command> onOutboundReady(OutboundReady r) {
    out = r.out();
    drain();
    return this;
  }

  private Behavior<Command> onOutAck() {
    inFlight = false;
    drain();
    return this;
  }

  private void enqueue(String frame) {
    if (closing) return;
    if (queue.size() >= limits.outboundQueueSize()) {
      queue.pollFirst();
      countDropped(1);
    }
    queue.addLast(frame);
    drain();
  }

  private void countDropped(long n) {
    dropped += n;
    metrics.wsDropped.increment(n);
  }

  private void drain() {
    if (out == null || inFlight || completed) return;
    String next = null;
    boolean depth = false;
    if (dropped > 0) {
      next = WsFrames.dropped(dropped);
      dropped = 0;
    } else {
      if (!pendingDepth.isEmpty() && !closing && (!lastWasDepth || queue.isEmpty())) {
        next = takeDepth();
        depth = next != null;
      }
      if (next == null) next = queue.pollFirst();
    }
    if (next != null) {
      inFlight = true;
      lastWasDepth = depth;
      metrics.wsSent.increment();
      out.tell(new Out.Frame(next));
    } else if (closing) {
      completed = true;
      out.tell(Out.Complete.INSTANCE);
    }
  }

  // ---- inbound ----

  private Behavior<Command> onInboundInit(InboundInit init) {
    init.ack().tell(InAck.INSTANCE);
    return this;
  }

  private Behavior<Command> onInbound(Inbound in) {
    if (!closing) {
      In m = in.message();
      long wait = m instanceof In.Text ? messageBucket.take(1) : 0;
      if (wait > 0) {
        // Ignored unread (never parsed); told at most once a second with the count, so a client that keeps sending
        // regardless costs the node the frames' decoding, not an answer per message.
        ignoredMessages++;
        long now = System.nanoTime();
        if (now - ignoredWindowStart >= 1_000_000_000L) {
          ignoredWindowStart = now;
          ignoredInWindow = 0;
        }
        if (closeAfterIgnored > 0 && ++ignoredInWindow >= closeAfterIgnored) {
          enqueue(WsFrames.error(null, "rate_limited", ignoredInWindow + " messages over the rate of " + RateLimits.describe(limitsMessages)
              + " within one second; closing the connection"));
          closeAfterQueued();
        } else if (now - lastIgnoredNotice >= 1_000_000_000L) {
          enqueue(WsFrames.error(null, "rate_limited", "at most " + RateLimits.describe(limitsMessages) + " messages per connection; "
              + ignoredMessages + (ignoredMessages == 1 ? " message was" : " messages were") + " ignored since the last notice, retry after "
              + wait + " s"));
          ignoredMessages = 0;
          lastIgnoredNotice = now;
        }
      } else if (m instanceof In.Text t) {
        onText(t.text());
      } else if (m instanceof In.TooBig big) {
        enqueue(WsFrames.error(null, "frame_too_big", "message longer than " + big.limit() + " characters; closing the connection"));
        closeAfterQueued();
      } else {
        enqueue(WsFrames.error(null, "unsupported", "binary frames are not supported; send JSON text"));
      }
    }
    in.ack().tell(InAck.INSTANCE);
    return this;
  }

  private Behavior<Command> onInboundFailed(InboundFailed f) {
    getContext().getLog().debug("WebSocket inbound failed: {}", f.cause().toString());
    return Behaviors.stopped();
  }

  private void closeAfterQueued() {
    releaseAll();
    closing = true;
    drain();
  }

  private void onText(String text) {
    JsonNode msg;
    try {
      msg = JsonBodies.object(text);
    } catch (io.tickloom.protocol.format.FieldError e) {
      boolean notJson = e.detail().startsWith("not JSON") || e.detail().startsWith("refused by the reader");
      enqueue(notJson ? WsFrames.error(null, "bad_json", "not valid JSON: " + e.detail())
          : e.field().equals("body") ? WsFrames.error(null, "bad_request", "expected a JSON object like {\"action\":\"subscribe\",...}")
          : WsFrames.error(null, "bad_request", "\"" + e.field() + "\" " + e.detail()));
      return;
    }
    JsonNode id = msg.get("id");
    JsonNode action = msg.get("action");
    String a = action == null || !action.isTextual() ? null : action.asText();
    if (a == null) {
      enqueue(WsFrames.error(id, "bad_request", "missing \"action\" (subscribe, unsubscribe, ping)"));
      return;
    }
    switch (a) {
      case "ping" -> enqueue(WsFrames.pong(id));
      case "subscribe" -> onSubscribe(msg, id);
      case "unsubscribe" -> onUnsubscribe(msg, id);
      default -> enqueue(WsFrames.error(id, "unknown_action", "unknown action '" + a + "' (subscribe, unsubscribe, ping)"));
    }
  }

  /**
   * The instrument {@code channels} of a (un)subscribe (the names of stream channels go to {@code streamNames}), or an
   * error frame and null.
   */
  private List<Channel> channels(JsonNode msg, JsonNode id, List<String> problems, Set<String> streamNames) {
    JsonNode arr = msg.get("channels");
    if (arr == null || !arr.isArray() || arr.isEmpty()) {
      enqueue(WsFrames.error(id, "bad_request", "\"channels\" must be a non-empty array, e.g. [\"ticks\",\"bars:1m\"]"));
      return null;
    }
    return readChannels(arr, name -> provider(name) != null, problems, streamNames);
  }

  /**
   * The instrument channels named by a command's {@code channels} array, once each: the names {@code isStream} accepts
   * go to {@code streamNames}; an item that is neither (not a string, an unknown channel) adds its problem.
   */
  static List<Channel> readChannels(JsonNode arr, java.util.function.Predicate<String> isStream, List<String> problems,
      Set<String> streamNames) {
    Set<Channel> out = new LinkedHashSet<>();
    for (JsonNode c : arr) {
      if (!c.isTextual()) {
        problems.add("channel must be a string, got " + c);
        continue;
      }
      if (isStream.test(c.asText())) {
        streamNames.add(c.asText());
        continue;
      }
      try {
        out.add(Channel.parse(c.asText()));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    return new ArrayList<>(out);
  }

  private List<Long> tokens(JsonNode msg, JsonNode id, List<String> problems) {
    JsonNode arr = msg.get("tokens");
    if (arr == null || !arr.isArray() || arr.isEmpty()) {
      enqueue(WsFrames.error(id, "bad_request", "\"tokens\" must be a non-empty array of instrument tokens, e.g. [256265]"));
      return null;
    }
    return readTokens(arr, problems);
  }

  /**
   * The tokens of a command's {@code tokens} array (integers, or their decimal text), once each; an item that is not
   * one adds its problem.
   */
  static List<Long> readTokens(JsonNode arr, List<String> problems) {
    Set<Long> out = new LinkedHashSet<>();
    for (JsonNode t : arr) {
      Long token = token(t);
      if (token != null) out.add(token);
      else problems.add("token must be an integer, got " + t);
    }
    return new ArrayList<>(out);
  }

  /** The token an item of {@code tokens} gives (an integer, or its decimal text), null when it gives none. */
  private static Long token(JsonNode t) {
    if (t.canConvertToExactIntegral() && t.canConvertToLong()) return t.asLong();
    if (!t.isTextual() || !t.asText().matches("-?\\d{1,19}")) return null;
    try {
      return Long.parseLong(t.asText());
    } catch (NumberFormatException e) {
      return null; // 19 digits beyond a long
    }
  }

  private void onSubscribe(JsonNode msg, JsonNode id) {
    List<String> problems = new ArrayList<>();
    Set<String> streamNames = new LinkedHashSet<>();
    List<Channel> channels = channels(msg, id, problems, streamNames);
    if (channels == null) return;
    if (!streamNames.isEmpty() && !subscribeStreams(streamNames, id)) return;
    if (channels.isEmpty()) { // only stream channels (or names that are neither): no tokens needed
      if (!problems.isEmpty()) enqueue(WsFrames.error(id, "unknown_channel", String.join("; ", problems)));
      return;
    }
    List<Long> tokens = tokens(msg, id, problems);
    if (tokens == null) return;
    Map<Long, Instrument> known = new LinkedHashMap<>();
    for (long t : tokens) {
      Optional<Instrument> i = ctx.instruments().find(t);
      if (i.isPresent()) known.put(t, i.get());
      else problems.add("unknown token " + t);
    }
    int added = 0;
    for (long t : known.keySet()) {
      TokenSubs ts = subs.get(t);
      for (Channel c : channels) if (ts == null || !ts.has(c)) added++;
    }
    long wait = added == 0 ? 0 : subscribeBucket.take(added);
    if (wait > 0) {
      enqueue(WsFrames.error(id, "rate_limited", "this request adds " + added + " subscriptions; at most "
          + RateLimits.describe(limitsSubscribes) + " per connection: nothing was subscribed, retry after " + wait + " s"));
      return;
    }
    if (subscriptionCount + added > limits.maxSubscriptions()) {
      enqueue(WsFrames.error(id, "too_many_subscriptions", "this request would hold " + (subscriptionCount + added)
          + " (token, channel) subscriptions; at most " + limits.maxSubscriptions() + " per connection"));
      return;
    }
    if (!problems.isEmpty()) {
      String code = problems.stream().allMatch(p -> p.startsWith("unknown token")) ? "unknown_token"
          : problems.stream().allMatch(p -> p.startsWith("unknown channel")) ? "unknown_channel" : "bad_request";
      enqueue(WsFrames.error(id, code, String.join("; ", problems) + (known.isEmpty() || channels.isEmpty() ? "" : "; subscribed the rest")));
    }
    if (known.isEmpty() || channels.isEmpty()) return;
    for (Map.Entry<Long, Instrument> e : known.entrySet()) {
      long token = e.getKey();
      TokenSubs ts = subs.get(token);
      if (ts == null) {
        ts = new TokenSubs(e.getValue());
        subs.put(token, ts);
        ctx.live().subscribe(token, liveRef);
      }
      for (Channel c : channels) {
        if (!ts.has(c)) {
          ts.set(c, true);
          subscriptionCount++;
        }
      }
    }
    enqueue(WsFrames.ack("subscribed", id, channels.stream().map(Channel::wire).toList(), List.copyOf(known.keySet()), subscriptionCount));
    for (long token : known.keySet()) {
      for (Channel c : channels) startBackfill(token, c);
    }
  }

  private void onUnsubscribe(JsonNode msg, JsonNode id) {
    List<String> problems = new ArrayList<>();
    Set<String> streamNames = new LinkedHashSet<>();
    List<Channel> channels = channels(msg, id, problems, streamNames);
    if (channels == null) return;
    if (!streamNames.isEmpty()) {
      for (String name : streamNames) closeStream(name);
      enqueue(WsFrames.ack("unsubscribed", id, List.copyOf(streamNames), List.of(), subscriptionCount));
    }
    if (channels.isEmpty()) {
      if (!problems.isEmpty()) enqueue(WsFrames.error(id, "bad_request", String.join("; ", problems)));
      return;
    }
    List<Long> tokens = tokens(msg, id, problems);
    if (tokens == null) return;
    if (!problems.isEmpty()) enqueue(WsFrames.error(id, "bad_request", String.join("; ", problems)));
    for (long token : tokens) {
      TokenSubs ts = subs.get(token);
      if (ts == null) continue;
      for (Channel c : channels) {
        if (ts.has(c)) {
          ts.set(c, false);
          subscriptionCount--;
          pending.remove(new Key(token, c));
          if (c.kind().equals(Channel.DEPTH)) dropDepth(token);
        }
      }
      if (ts.isEmpty()) {
        subs.remove(token);
        ctx.live().unsubscribe(token, liveRef);
      }
    }
    enqueue(WsFrames.ack("unsubscribed", id, channels.stream().map(Channel::wire).toList(), tokens, subscriptionCount));
  }

  // ---- stream channels (not per instrument) ----

  /** The provider answering {@code name}, or null. */
  private StreamChannels provider(String name) {
    for (StreamChannels p : ctx.streams()) {
      String prefix = p.prefix();
      if (name.equals(prefix) || name.startsWith(prefix + ':')) return p;
    }
    return null;
  }

  /** Opens the stream channels not open yet; false (with an error frame) when the subscription limit forbids it. */
  private boolean subscribeStreams(Set<String> names, JsonNode id) {
    List<String> fresh = names.stream().filter(n -> !streams.containsKey(n)).toList();
    if (subscriptionCount + fresh.size() > limits.maxSubscriptions()) {
      enqueue(WsFrames.error(id, "too_many_subscriptions", "this request would hold " + (subscriptionCount + fresh.size())
          + " subscriptions; at most " + limits.maxSubscriptions() + " per connection"));
      return false;
    }
    for (String name : fresh) {
      long gen = ++generations;
      streams.put(name, new OpenStream(gen));
      subscriptionCount++;
      CompletionStage<org.apache.pekko.stream.javadsl.Source<String, org.apache.pekko.NotUsed>> opened;
      try {
        opened = provider(name).open(name, key);
      } catch (RuntimeException e) {
        opened = CompletableFuture.failedFuture(e);
      }
      getContext().pipeToSelf(opened, (source, err) -> new StreamOpened(name, gen, source, err));
    }
    enqueue(WsFrames.ack("subscribed", id, List.copyOf(names), List.of(), subscriptionCount));
    return true;
  }

  private Behavior<Command> onStreamOpened(StreamOpened o) {
    OpenStream s = streams.get(o.channel());
    if (s == null || s.generation != o.generation()) return this; // unsubscribed meanwhile
    if (o.failure() != null) {
      streams.remove(o.channel());
      subscriptionCount--;
      Throwable cause = o.failure() instanceof java.util.concurrent.CompletionException && o.failure().getCause() != null
          ? o.failure().getCause() : o.failure();
      String code = cause instanceof SecurityException ? "forbidden" : cause instanceof IllegalArgumentException ? "unknown_channel" : "channel_failed";
      if (code.equals("channel_failed")) getContext().getLog().warn("stream channel {} could not open: {}", o.channel(), cause.toString());
      enqueue(WsFrames.error(null, code, code.equals("channel_failed") ? "channel " + o.channel() + " could not be opened" : cause.getMessage()));
      return this;
    }
    String name = o.channel();
    long gen = o.generation();
    s.kill = o.frames()
        .viaMat(org.apache.pekko.stream.KillSwitches.single(), org.apache.pekko.stream.javadsl.Keep.right())
        .to(org.apache.pekko.stream.typed.javadsl.ActorSink.<String, Command, StreamAck>actorRefWithBackpressure(
            getContext().getSelf(),
            (ack, frame) -> new StreamFrame(name, gen, ack, frame),
            ack -> new StreamInit(name, gen, ack),
            StreamAck.INSTANCE,
            new StreamEnded(name, gen, null),
            err -> new StreamEnded(name, gen, err)))
        .run(materializer);
    return this;
  }

  private Behavior<Command> onStreamInit(StreamInit i) {
    i.ack().tell(StreamAck.INSTANCE);
    return this;
  }

  /** Frames go to the bounded drop-oldest queue and are acked at once: the socket's pace never slows the source. */
  private Behavior<Command> onStreamFrame(StreamFrame f) {
    OpenStream s = streams.get(f.channel());
    if (s != null && s.generation == f.generation()) enqueue(f.frame());
    f.ack().tell(StreamAck.INSTANCE);
    return this;
  }

  private Behavior<Command> onStreamEnded(StreamEnded e) {
    OpenStream s = streams.get(e.channel());
    if (s == null || s.generation != e.generation()) return this;
    streams.remove(e.channel());
    subscriptionCount--;
    if (e.failure() != null) {
      getContext().getLog().warn("stream channel {} failed: {}", e.channel(), e.failure().toString());
      enqueue(WsFrames.error(null, "channel_failed", "channel " + e.channel() + " failed; subscribe again to resume"));
    } else {
      enqueue(WsFrames.ended(e.channel(), subscriptionCount));
    }
    return this;
  }

  private void closeStream(String name) {
    OpenStream s = streams.remove(name);
    if (s == null) return;
    subscriptionCount--;
    if (s.kill != null) s.kill.shutdown();
  }

  // ---- backfill ----

  private void startBackfill(long token, Channel c) {
    if (c.kind().equals(Channel.GAPS)) return; // gaps are live only; history is GET /api/v1/gaps
    if (c.kind().equals(Channel.DEPTH)) {
      // the current book; live books meanwhile need no holding back: conflation keeps whichever is newer
      if (ctx.books() == null) return;
      runBackfill(() -> subs.containsKey(token), () -> getContext().pipeToSelf(ctx.books().current(token, DEPTH_LEVELS),
          (view, err) -> new DepthBackfill(token, view, err)));
      return;
    }
    Key key = new Key(token, c);
    Pending previous = pending.get(key);
    long gen = ++generations;
    pending.put(key, new Pending(gen, previous == null ? new ArrayDeque<>() : previous.held));
    runBackfill(() -> { Pending p = pending.get(key); return p != null && p.generation == gen; }, () -> readBackfill(token, c, gen));
  }

  /** Starts one backfill read now or when one of this connection's slots frees; skipped if unsubscribed meanwhile. */
  private void runBackfill(java.util.function.BooleanSupplier wanted, Runnable read) {
    if (backfillsRunning < maxBackfills) {
      backfillsRunning++;
      read.run();
    } else {
      backfillQueue.add(() -> {
        if (wanted.getAsBoolean()) {
          backfillsRunning++;
          read.run();
        }
      });
    }
  }

  /** A backfill read ended (answered or failed): the next waiting one may start. */
  private void backfillDone() {
    if (backfillsRunning > 0) backfillsRunning--;
    while (backfillsRunning < maxBackfills && !backfillQueue.isEmpty()) backfillQueue.poll().run();
  }

  private void readBackfill(long token, Channel c, long gen) {
    if (c.kind().equals(Channel.TICKS)) {
      int n = limits.backfillTicks();
      CompletionStage<List<Tick>> read = n == 0
          ? CompletableFuture.completedFuture(List.of())
          : CompletableFuture.supplyAsync(() -> ctx.ticks().latest(token, n), ctx.blocking());
      getContext().pipeToSelf(read, (ticks, err) -> new TickBackfill(token, gen, ticks, err));
    } else if (c.kind().equals(Channel.INDICATORS)) {
      Timeframe tf = c.tf();
      int n = limits.backfillBars();
      CompletionStage<List<MarketEvent.IndicatorUpdate>> confirmed = n == 0
          ? CompletableFuture.completedFuture(List.of())
          : CompletableFuture.supplyAsync(() -> ctx.indicators().indicators(token, tf, 0L, Long.MAX_VALUE, n).stream()
              .map(r -> new MarketEvent.IndicatorUpdate(token, tf, r.start(), true, nodeOutputs, ApiRoutes.select(nodeOutputs, r.names(), r.values())))
              .toList(), ctx.blocking());
      CompletionStage<Optional<MarketEvent.IndicatorUpdate>> forming = ApiRoutes.formingIndicators(ctx.live(), token, tf);
      CompletionStage<List<MarketEvent.IndicatorUpdate>> read = confirmed.thenCombine(forming, WsSession::withForming);
      getContext().pipeToSelf(read, (values, err) -> new IndicatorBackfill(token, tf, gen, values, err));
    } else {
      Timeframe tf = c.tf();
      int n = limits.backfillBars();
      CompletionStage<List<Bar>> finals = n == 0
          ? CompletableFuture.completedFuture(List.of())
          : CompletableFuture.supplyAsync(() -> ctx.bars().bars(token, tf, 0L, Long.MAX_VALUE, n), ctx.blocking());
      CompletionStage<Optional<Bar>> forming = ctx.live().formingBar(token, tf).exceptionally(e -> Optional.empty());
      CompletionStage<List<Bar>> read = finals.thenCombine(forming, (f, open) -> ApiRoutes.withForming(f, open, 0L, Integer.MAX_VALUE));
      getContext().pipeToSelf(read, (bars, err) -> new BarBackfill(token, tf, gen, bars, err));
    }
  }

  /** Confirmed values followed by the forming ones, unless a confirmed bar already covers their start. */
  static List<MarketEvent.IndicatorUpdate> withForming(List<MarketEvent.IndicatorUpdate> confirmed, Optional<MarketEvent.IndicatorUpdate> forming) {
    if (forming.isEmpty()) return confirmed;
    if (!confirmed.isEmpty() && confirmed.get(confirmed.size() - 1).start() >= forming.get().start()) return confirmed;
    List<MarketEvent.IndicatorUpdate> all = new ArrayList<>(confirmed.size() + 1);
    all.addAll(confirmed);
    all.add(forming.get());
    return all;
  }

  private Pending takePending(long token, Channel c, long generation) {
    Key key = new Key(token, c);
    Pending p = pending.get(key);
    if (p == null || p.generation != generation) return null; // unsubscribed, or superseded by a newer subscribe
    pending.remove(key);
    return p;
  }

  private Behavior<Command> onTickBackfill(TickBackfill b) {
    backfillDone();
    Channel c = new Channel(Channel.TICKS, null);
    Pending p = takePending(b.token(), c, b.generation());
    TokenSubs ts = subs.get(b.token());
    if (p == null || ts == null) return this;
    List<Tick> ticks = b.ticks() == null ? List.of() : b.ticks();
    if (b.failure() != null) {
      getContext().getLog().warn("tick backfill of {} failed: {}", b.token(), b.failure().toString());
      enqueue(WsFrames.error(null, "backfill_failed", "could not read recent ticks of " + b.token() + "; live ticks follow"));
    }
    enqueue(WsFrames.tickBackfill(b.token(), ticks, ts.instrument));
    Set<Long> seen = new HashSet<>();
    Set<List<Long>> backfilled = new HashSet<>();
    for (Tick t : ticks) {
      seen.add(t.dedupeKey());
      backfilled.add(List.of(t.exchangeTs(), t.dedupeKey()));
    }
    ts.backfilled = backfilled;
    for (Object o : p.held) {
      Tick t = (Tick) o;
      if (!seen.contains(t.dedupeKey())) enqueue(WsFrames.tick(t, ts.instrument));
    }
    return this;
  }

  private Behavior<Command> onBarBackfill(BarBackfill b) {
    backfillDone();
    Channel c = new Channel(Channel.BARS, b.tf());
    Pending p = takePending(b.token(), c, b.generation());
    TokenSubs ts = subs.get(b.token());
    if (p == null || ts == null) return this;
    List<Bar> bars = b.bars() == null ? List.of() : b.bars();
    if (b.failure() != null) {
      getContext().getLog().warn("bar backfill of {} {} failed: {}", b.token(), b.tf().label(), b.failure().toString());
      enqueue(WsFrames.error(null, "backfill_failed", "could not read recent bars of " + b.token() + "; live bars follow"));
    }
    enqueue(WsFrames.barBackfill(b.token(), c.wire(), bars, ts.instrument));
    Map<Long, Bar> byStart = new HashMap<>();
    for (Bar bar : bars) byStart.put(bar.start(), bar);
    for (Object o : p.held) {
      Bar update = (Bar) o;
      Bar known = byStart.get(update.start());
      boolean stale = known != null && known.revision() >= update.revision() && known.trades() >= update.trades()
          && (known.isFinal() || !update.isFinal());
      if (!stale) enqueue(WsFrames.bar(update, ts.instrument));
    }
    return this;
  }

  /**
   * Sends the backfill, then the held updates except those it makes redundant. Updates carry no revision, so a held
   * update of a bar the backfill holds is redundant only up to the last one rendering exactly as the backfill's
   * values of that bar (what came after it is newer); forming values of a bar the backfill has as final, or older
   * than the backfill's forming bar, are stale.
   */
  private Behavior<Command> onIndicatorBackfill(IndicatorBackfill b) {
    backfillDone();
    Channel c = new Channel(Channel.INDICATORS, b.tf());
    Pending p = takePending(b.token(), c, b.generation());
    if (p == null || !subs.containsKey(b.token())) return this;
    List<MarketEvent.IndicatorUpdate> values = b.values() == null ? List.of() : b.values();
    if (b.failure() != null) {
      getContext().getLog().warn("indicator backfill of {} {} failed: {}", b.token(), b.tf().label(), b.failure().toString());
      enqueue(WsFrames.error(null, "backfill_failed", "could not read recent indicator values of " + b.token() + "; live values follow"));
    }
    Map<Long, Wire.IndicatorDto> byStart = new HashMap<>();
    long lastFinal = Long.MIN_VALUE;
    long formingStart = Long.MIN_VALUE;
    List<Wire.IndicatorDto> items = new ArrayList<>(values.size());
    for (MarketEvent.IndicatorUpdate u : values) {
      Wire.IndicatorDto dto = Wire.IndicatorDto.from(u);
      items.add(dto);
      byStart.put(u.start(), dto);
      if (u.isFinal()) lastFinal = Math.max(lastFinal, u.start());
      else formingStart = Math.max(formingStart, u.start());
    }
    enqueue(WsFrames.indicatorBackfill(b.token(), c.wire(), items));
    List<MarketEvent.IndicatorUpdate> held = new ArrayList<>(p.held.size());
    List<Wire.IndicatorDto> heldDtos = new ArrayList<>(p.held.size());
    Map<Long, Integer> lastRepeat = new HashMap<>();
    for (Object o : p.held) {
      MarketEvent.IndicatorUpdate u = (MarketEvent.IndicatorUpdate) o;
      Wire.IndicatorDto dto = Wire.IndicatorDto.from(u);
      if (dto.equals(byStart.get(u.start()))) lastRepeat.put(u.start(), held.size());
      held.add(u);
      heldDtos.add(dto);
    }
    for (int i = 0; i < held.size(); i++) {
      MarketEvent.IndicatorUpdate u = held.get(i);
      if (i <= lastRepeat.getOrDefault(u.start(), -1)) continue;
      if (!u.isFinal() && (u.start() <= lastFinal || u.start() < formingStart)) continue;
      enqueue(WsFrames.indicator(heldDtos.get(i)));
    }
    return this;
  }

  // ---- live ----

  private Behavior<Command> onLive(Live l) {
    MarketEvent e = l.event();
    TokenSubs ts = subs.get(e.token());
    if (ts == null || closing) return this;
    if (e instanceof MarketEvent.Ticks t) {
      if (!ts.ticks) return this;
      Pending p = pending.get(new Key(e.token(), new Channel(Channel.TICKS, null)));
      for (Tick tick : t.ticks()) {
        if (p != null) hold(p, tick);
        else if (!ts.resyncing || !ts.backfilled.contains(List.of(tick.exchangeTs(), tick.dedupeKey()))) {
          enqueue(WsFrames.tick(tick, ts.instrument));
        }
      }
    } else if (e instanceof MarketEvent.BarUpdate u) {
      if (!ts.bars.contains(u.bar().tf())) return this;
      Pending p = pending.get(new Key(e.token(), new Channel(Channel.BARS, u.bar().tf())));
      if (p != null) hold(p, u.bar());
      else enqueue(WsFrames.bar(u.bar(), ts.instrument));
    } else if (e instanceof MarketEvent.IndicatorUpdate u) {
      if (!ts.indicators.contains(u.tf())) return this;
      Pending p = pending.get(new Key(e.token(), new Channel(Channel.INDICATORS, u.tf())));
      if (p != null) hold(p, u);
      else enqueue(WsFrames.indicator(Wire.IndicatorDto.from(u)));
    } else if (e instanceof MarketEvent.GapUpdate g) {
      if (ts.ticks || ts.gaps) enqueue(WsFrames.gap(g.gap()));
    } else if (e instanceof MarketEvent.Depth d) {
      if (ts.depth) offerDepth(d);
    } else if (e instanceof MarketEvent.Resync r) {
      onResync(ts, r);
    } else if (e instanceof MarketEvent.ResyncDone d) {
      if (ts.resyncing) {
        ts.resyncing = false;
        enqueue(WsFrames.resyncDone(d.token(), d.recovered(), d.complete()));
      }
    }
    return this;
  }

  /**
   * The instrument's live stream had a hole: the client is told; missed ticks come from the hub next (as live ticks,
   * minus those this connection's backfill sent); bar, indicator and book channels are backfilled again, with their live
   * updates held meanwhile as on a subscribe.
   */
  private void onResync(TokenSubs ts, MarketEvent.Resync r) {
    List<String> channels = new ArrayList<>();
    List<Channel> again = new ArrayList<>();
    if (ts.ticks) channels.add(Channel.TICKS);
    if (ts.depth) {
      channels.add(Channel.DEPTH);
      again.add(new Channel(Channel.DEPTH, null));
    }
    for (Timeframe tf : ts.bars) {
      Channel c = new Channel(Channel.BARS, tf);
      channels.add(c.wire());
      again.add(c);
    }
    for (Timeframe tf : ts.indicators) {
      Channel c = new Channel(Channel.INDICATORS, tf);
      channels.add(c.wire());
      again.add(c);
    }
    if (channels.isEmpty()) return;
    ts.resyncing = true;
    enqueue(WsFrames.resync(r.token(), channels, r.fromExchangeTs(), r.reason()));
    for (Channel c : again) startBackfill(r.token(), c);
  }

  // ---- depth: conflated ----

  /** Levels per side of the depth backfill (live frames carry what the entity publishes). */
  private static final int DEPTH_LEVELS = 20;

  /**
   * Makes {@code d} the token's pending book, replacing one not sent yet: a slow client gets the latest book, never a
   * backlog, and depth never pushes other frames out of the bounded queue. A book older than one already offered is
   * ignored.
   */
  private void offerDepth(MarketEvent.Depth d) {
    if (closing) return;
    Long seen = depthTs.get(d.token());
    if (seen != null && seen > d.ts()) return;
    depthTs.put(d.token(), d.ts());
    pendingDepth.put(d.token(), d);
    drain();
  }

  /** The frame of the pending book waiting longest (its token still subscribed to depth), or null. */
  private String takeDepth() {
    Iterator<Map.Entry<Long, MarketEvent.Depth>> it = pendingDepth.entrySet().iterator();
    while (it.hasNext()) {
      MarketEvent.Depth d = it.next().getValue();
      it.remove();
      TokenSubs ts = subs.get(d.token());
      if (ts != null && ts.depth) return BookWire.depthFrame(d, ts.instrument);
    }
    return null;
  }

  private Behavior<Command> onDepthBackfill(DepthBackfill b) {
    backfillDone();
    TokenSubs ts = subs.get(b.token());
    if (ts == null || !ts.depth) return this;
    if (b.failure() != null || b.view() == null) {
      getContext().getLog().warn("depth backfill of {} failed: {}", b.token(), String.valueOf(b.failure()));
      enqueue(WsFrames.error(null, "backfill_failed", "could not read the book of " + b.token() + "; live books follow"));
      return this;
    }
    var v = b.view();
    offerDepth(new MarketEvent.Depth(b.token(), v.ts(), v.kind(), v.stale(), v.book()));
    return this;
  }

  private void dropDepth(long token) {
    pendingDepth.remove(token);
    depthTs.remove(token);
  }

  private void hold(Pending p, Object event) {
    if (p.held.size() >= limits.outboundQueueSize()) {
      p.held.pollFirst();
      countDropped(1);
    }
    p.held.addLast(event);
  }

  // ---- end ----

  private void releaseAll() {
    for (Iterator<Long> it = subs.keySet().iterator(); it.hasNext(); ) {
      ctx.live().unsubscribe(it.next(), liveRef);
      it.remove();
    }
    for (String name : List.copyOf(streams.keySet())) closeStream(name);
    subscriptionCount = 0;
    pending.clear();
    pendingDepth.clear();
    depthTs.clear();
  }

  private Behavior<Command> onStop() {
    releaseAll();
    if (out != null && !completed) {
      completed = true;
      out.tell(Out.Complete.INSTANCE);
    }
    metrics.wsConnections.decrementAndGet();
    release.run();
    return this;
  }
}
