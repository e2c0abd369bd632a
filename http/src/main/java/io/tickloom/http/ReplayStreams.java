package io.tickloom.http;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.tickloom.cluster.InstrumentDirectory;
import io.tickloom.cluster.MarketEvent;
import io.tickloom.cluster.oms.OrderService;
import io.tickloom.cluster.replay.ReplayOutput;
import io.tickloom.cluster.replay.ReplayService;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Tick;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The WebSocket channels {@code replay:<id>} (SPEC §6): a replay session's output as frames, each tagged with the
 * replay id — {@code replay_tick} (a tick as the {@code tick} frame, with the status the replay's sequencer gave it),
 * {@code replay_bar} (final bars and revisions of the session's timeframes, as the {@code bar} frame),
 * {@code replay_indicator} (confirmed values, as the {@code indicator} frame) and last {@code replay_end} (the
 * session's final status: {@code state} ENDED, CANCELLED or FAILED, counts, position); then the channel ends. A
 * replay created with an {@code account} also carries {@code replay_order_event} frames, interleaved in time with the
 * ticks (after the ticks of the same timestamp): {@code {"type":"replay_order_event","replay","account","orderId","seq",
 * "event":"OrderFilled", <the event's fields as in GET /api/v1/orders/{id}/events>, "tsEvent"}}.
 *
 * <p>{@code replay:<id>:bars} (any comma list of {@code ticks}, {@code bars}, {@code indicators}, {@code orders})
 * narrows the frames:
 * {@code replay:<id>:bars} carries the final bars and the end, what {@code tickloom replay} prints. A session produces
 * once its first subscriber attaches (so a client that creates a replay and then subscribes misses nothing); a
 * subscriber joining later sees the output from then on.
 */
public final class ReplayStreams implements StreamChannels {
  private final ReplayService replays;
  private final InstrumentDirectory instruments;

  public ReplayStreams(ReplayService replays, InstrumentDirectory instruments) {
    this.replays = replays;
    this.instruments = instruments;
  }

  record TickFrame(String type, String replay, @JsonUnwrapped Wire.TickDto tick) {}

  record BarFrame(String type, String replay, @JsonUnwrapped Wire.BarDto bar) {}

  record IndicatorFrame(String type, String replay, @JsonUnwrapped Wire.IndicatorDto indicator) {}

  record EndFrame(String type, String replay, @JsonUnwrapped ReplayRoutes.StatusDto status) {}

  @Override
  public String prefix() {
    return "replay";
  }

  @Override
  public CompletionStage<Source<String, NotUsed>> open(String channel, ApiKeys.Key key) {
    String[] parts = channel.split(":", 3);
    if (parts.length < 2 || parts[1].isBlank()) return failed("channel " + channel + ": expected replay:<id> (see POST /api/v1/replays)");
    String id = parts[1];
    boolean ticks = true;
    boolean bars = true;
    boolean indicators = true;
    boolean orders = true;
    if (parts.length == 3) {
      ticks = bars = indicators = orders = false;
      for (String kind : parts[2].split(",")) {
        switch (kind.trim()) {
          case "ticks" -> ticks = true;
          case "bars" -> bars = true;
          case "indicators" -> indicators = true;
          case "orders" -> orders = true;
          default -> {
            return failed("channel " + channel + ": unknown part '" + kind + "' (ticks, bars, indicators, orders)");
          }
        }
      }
    }
    boolean t = ticks;
    boolean b = bars;
    boolean v = indicators;
    boolean o = orders;
    if (replays == null) return failed("replays are not enabled on this node");
    // A session is its creator's (or an admin's) to watch; to any other connection it does not exist.
    if (key == null) return CompletableFuture.failedFuture(new SecurityException("replay channels need the API key that created the replay (/ws?key=)"));
    if (replays.status(id).filter(s -> ReplayRoutes.mayUse(key, s)).isEmpty()) return failed("no replay " + id + " on this node");
    return replays.subscribe(id)
        .<CompletionStage<Source<String, NotUsed>>>map(out -> CompletableFuture.completedFuture(
            out.mapConcat(x -> frames(id, x, t, b, v, o))))
        .orElseGet(() -> failed("no replay " + id + " on this node"));
  }

  private static CompletionStage<Source<String, NotUsed>> failed(String message) {
    return CompletableFuture.failedFuture(new IllegalArgumentException(message));
  }

  /** The frames of one output element. Allocates every frame's text. */
  List<String> frames(String id, ReplayOutput o, boolean ticks, boolean bars, boolean indicators) {
    return frames(id, o, ticks, bars, indicators, true);
  }

  /** The frames of one output element, {@code orders}: with the order events. Allocates every frame's text. */
  List<String> frames(String id, ReplayOutput o, boolean ticks, boolean bars, boolean indicators, boolean orders) {
    if (o instanceof ReplayOutput.End end) return List.of(Json.write(new EndFrame("replay_end", id, ReplayRoutes.StatusDto.from(end.status()))));
    if (o instanceof ReplayOutput.Orders events) {
      if (!orders) return List.of();
      Map<Long, Instrument> known = new HashMap<>();
      List<String> out = new ArrayList<>(events.events().size());
      for (OrderService.AccountEvent e : events.events()) out.add(Json.write(orderFrame(id, e, instrument(known, e.token()))));
      return out;
    }
    ReplayOutput.Batch batch = (ReplayOutput.Batch) o;
    List<String> out = new ArrayList<>((ticks ? batch.ticks().size() : 0) + (bars ? batch.bars().size() : 0)
        + (indicators ? batch.values().size() : 0));
    Map<Long, Instrument> known = new HashMap<>();
    if (ticks) {
      for (Tick tick : batch.ticks()) {
        Instrument i = instrument(known, tick.token());
        if (i != null) out.add(Json.write(new TickFrame("replay_tick", id, Wire.TickDto.from(tick, i))));
      }
    }
    if (bars) {
      for (Bar bar : batch.bars()) {
        Instrument i = instrument(known, bar.token());
        if (i != null) out.add(Json.write(new BarFrame("replay_bar", id, Wire.BarDto.from(bar, i))));
      }
    }
    if (indicators) {
      for (MarketEvent.IndicatorUpdate u : batch.values()) out.add(Json.write(new IndicatorFrame("replay_indicator", id, Wire.IndicatorDto.from(u))));
    }
    return out;
  }

  /** A {@code replay_order_event} frame: as the {@code order_event} frame of the orders channel, without the order view. */
  static Map<String, Object> orderFrame(String id, OrderService.AccountEvent e, Instrument in) {
    Map<String, Object> event = Wire.orderEvent(e.seq(), e.event(), in == null ? 0 : in.priceScale(), in == null ? 0 : in.qtyScale());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "replay_order_event");
    m.put("replay", id);
    m.put("account", e.orderId().account());
    m.put("orderId", e.orderId().value());
    m.put("seq", e.seq());
    m.put("event", event.get("type"));
    for (var x : event.entrySet()) {
      if (!x.getKey().equals("seq") && !x.getKey().equals("type")) m.put(x.getKey(), x.getValue());
    }
    return m;
  }

  private Instrument instrument(Map<Long, Instrument> known, long token) {
    return known.computeIfAbsent(token, k -> instruments.find(k).orElse(null));
  }
}
