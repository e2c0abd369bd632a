package io.tickloom.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import io.tickloom.protocol.indicators.IndicatorSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code tickloom.http} section of the configuration (see the module's {@code reference.conf}), parsed once.
 *
 * @param iface address to bind ({@code 0.0.0.0} by default)
 * @param port port to bind; {@code 0} binds a free port (tests)
 * @param shutdownDeadline how long connections may stay open after CoordinatedShutdown starts
 * @param defaultPageLimit {@code limit} of list endpoints when absent
 * @param maxPageLimit largest {@code limit} list endpoints accept
 * @param defaultInstrumentLimit {@code limit} of the instrument search when absent
 * @param maxInstrumentLimit largest {@code limit} the instrument search accepts
 * @param ws WebSocket limits
 * @param nodeIndicators canonical names of the indicators the node's instrument entities compute and store
 *     ({@code tickloom.cluster.indicators.names}, read here so {@code GET /api/v1/indicators} knows which requests the
 *     stored values answer; {@link IndicatorSet#DEFAULT_NAMES} when the key is absent)
 * @param requireKeyForMarketData whether market data (REST reads and WebSocket channels) needs an API key
 * @param limits rate limits and quotas per client
 */
public record HttpSettings(
    String iface,
    int port,
    Duration shutdownDeadline,
    int defaultPageLimit,
    int maxPageLimit,
    int defaultInstrumentLimit,
    int maxInstrumentLimit,
    WebSocket ws,
    List<String> nodeIndicators,
    boolean requireKeyForMarketData,
    RateLimits.Settings limits) {

  /** The key of the cluster module's indicator list (not under {@code tickloom.http}: the node computes them). */
  static final String NODE_INDICATORS_KEY = "tickloom.cluster.indicators.names";

  /**
   * @param outboundQueueSize messages buffered for one client before the oldest are dropped
   * @param maxSubscriptions (token, channel) pairs per connection
   * @param maxFrameSize largest inbound text message, in UTF-16 characters
   * @param backfillTicks stored ticks sent on a {@code ticks} subscribe
   * @param backfillBars final bars sent on a {@code bars:<tf>} subscribe (plus the forming bar)
   * @param keepAlive idle time after which the server pings
   */
  public record WebSocket(int outboundQueueSize, int maxSubscriptions, int maxFrameSize, int backfillTicks, int backfillBars, Duration keepAlive) {
    public WebSocket {
      positive("websocket.outbound-queue-size", outboundQueueSize);
      positive("websocket.max-subscriptions", maxSubscriptions);
      positive("websocket.max-frame-size", maxFrameSize);
      if (backfillTicks < 0 || backfillBars < 0) throw new IllegalArgumentException("tickloom.http.websocket.backfill-* must be >= 0");
    }
  }

  public HttpSettings {
    if (port < 0 || port > 65535) throw new IllegalArgumentException("tickloom.http.port out of range: " + port);
    positive("page.default-limit", defaultPageLimit);
    positive("page.max-limit", maxPageLimit);
    positive("instruments.default-limit", defaultInstrumentLimit);
    positive("instruments.max-limit", maxInstrumentLimit);
    if (defaultPageLimit > maxPageLimit) throw new IllegalArgumentException("tickloom.http.page.default-limit > max-limit");
    if (defaultInstrumentLimit > maxInstrumentLimit) throw new IllegalArgumentException("tickloom.http.instruments.default-limit > max-limit");
    nodeIndicators = IndicatorSet.of(nodeIndicators).names(); // canonical; throws for a bad or repeated name
  }

  /** Reads {@code tickloom.http} from a full configuration (one that includes this module's reference.conf). */
  public static HttpSettings fromConfig(Config root) {
    Config c = root.getConfig("tickloom.http");
    Config ws = c.getConfig("websocket");
    return new HttpSettings(
        c.getString("interface"),
        c.getInt("port"),
        c.getDuration("shutdown-deadline"),
        c.getInt("page.default-limit"),
        c.getInt("page.max-limit"),
        c.getInt("instruments.default-limit"),
        c.getInt("instruments.max-limit"),
        new WebSocket(
            ws.getInt("outbound-queue-size"),
            ws.getInt("max-subscriptions"),
            Math.toIntExact(ws.getBytes("max-frame-size")),
            ws.getInt("backfill-ticks"),
            ws.getInt("backfill-bars"),
            ws.getDuration("keep-alive")),
        nodeIndicators(root),
        c.getBoolean("require-key-for-market-data"),
        RateLimits.Settings.fromConfig(c.getConfig("limits")));
  }

  /** {@value #NODE_INDICATORS_KEY} as a list or a comma-separated string; the default set when absent. */
  static List<String> nodeIndicators(Config root) {
    if (!root.hasPath(NODE_INDICATORS_KEY)) return IndicatorSet.DEFAULT_NAMES;
    if (root.getValue(NODE_INDICATORS_KEY).valueType() == ConfigValueType.STRING) {
      return Arrays.stream(root.getString(NODE_INDICATORS_KEY).split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
    }
    return root.getStringList(NODE_INDICATORS_KEY);
  }

  /** A copy bound to another port (tests bind 0). */
  public HttpSettings withPort(int newPort) {
    return new HttpSettings(iface, newPort, shutdownDeadline, defaultPageLimit, maxPageLimit, defaultInstrumentLimit, maxInstrumentLimit, ws,
        nodeIndicators, requireKeyForMarketData, limits);
  }

  /** A copy with other WebSocket limits. */
  public HttpSettings withWebSocket(WebSocket newWs) {
    return new HttpSettings(iface, port, shutdownDeadline, defaultPageLimit, maxPageLimit, defaultInstrumentLimit, maxInstrumentLimit, newWs,
        nodeIndicators, requireKeyForMarketData, limits);
  }

  /** A copy for a node computing other indicators (tests). */
  public HttpSettings withNodeIndicators(List<String> names) {
    return new HttpSettings(iface, port, shutdownDeadline, defaultPageLimit, maxPageLimit, defaultInstrumentLimit, maxInstrumentLimit, ws,
        names, requireKeyForMarketData, limits);
  }

  /** A copy with other rate limits (tests). */
  public HttpSettings withLimits(RateLimits.Settings newLimits) {
    return new HttpSettings(iface, port, shutdownDeadline, defaultPageLimit, maxPageLimit, defaultInstrumentLimit, maxInstrumentLimit, ws,
        nodeIndicators, requireKeyForMarketData, newLimits);
  }

  /** A copy that does or does not require a key for market data. */
  public HttpSettings withRequireKeyForMarketData(boolean on) {
    return new HttpSettings(iface, port, shutdownDeadline, defaultPageLimit, maxPageLimit, defaultInstrumentLimit, maxInstrumentLimit, ws,
        nodeIndicators, on, limits);
  }

  private static void positive(String key, long v) {
    if (v <= 0) throw new IllegalArgumentException("tickloom.http." + key + " must be positive: " + v);
  }
}
