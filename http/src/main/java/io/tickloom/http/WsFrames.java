package io.tickloom.http;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Gap;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Tick;
import java.util.List;

/**
 * Server → client WebSocket frames (SPEC §6): one JSON object per text frame, {@code type} first. Live items are
 * flat ({@code {"type":"tick",<tick fields>}}), so a {@code tick}/{@code bar}/{@code gap}/{@code indicator} frame minus its
 * {@code type} equals the REST item of the same thing. Every method allocates the frame text.
 */
final class WsFrames {
  private WsFrames() {}

  record TickFrame(String type, @JsonUnwrapped Wire.TickDto tick) {}

  record BarFrame(String type, @JsonUnwrapped Wire.BarDto bar) {}

  record GapFrame(String type, @JsonUnwrapped Wire.GapDto gap) {}

  record IndicatorFrame(String type, @JsonUnwrapped Wire.IndicatorDto indicator) {}

  record BackfillFrame(String type, String channel, long token, List<?> items) {}

  record AckFrame(String type, JsonNode id, List<String> channels, List<Long> tokens, int subscriptions) {}

  record PongFrame(String type, JsonNode id) {}

  record EndedFrame(String type, List<String> channels, String reason, int subscriptions) {}

  record ErrorFrame(String type, JsonNode id, String code, String message) {}

  record DroppedFrame(String type, long dropped) {}

  record ResyncFrame(String type, long token, List<String> channels, String from, String reason) {}

  record ResyncDoneFrame(String type, long token, int recovered, boolean complete) {}

  static String tick(Tick t, Instrument i) {
    return Json.write(new TickFrame("tick", Wire.TickDto.from(t, i)));
  }

  static String bar(Bar b, Instrument i) {
    return Json.write(new BarFrame("bar", Wire.BarDto.from(b, i)));
  }

  static String gap(Gap g) {
    return Json.write(new GapFrame("gap", Wire.GapDto.from(g)));
  }

  /** {@code {"type":"indicator","token","tf","start","final","values":{...}}}, as the REST indicator item. */
  static String indicator(Wire.IndicatorDto values) {
    return Json.write(new IndicatorFrame("indicator", values));
  }

  static String tickBackfill(long token, List<Tick> ticks, Instrument i) {
    return Json.write(new BackfillFrame("backfill", "ticks", token, ticks.stream().map(t -> Wire.TickDto.from(t, i)).toList()));
  }

  static String barBackfill(long token, String channel, List<Bar> bars, Instrument i) {
    return Json.write(new BackfillFrame("backfill", channel, token, bars.stream().map(b -> Wire.BarDto.from(b, i)).toList()));
  }

  static String indicatorBackfill(long token, String channel, List<Wire.IndicatorDto> items) {
    return Json.write(new BackfillFrame("backfill", channel, token, items));
  }

  /** {@code subscribed}/{@code unsubscribed}: what the request changed and the connection's total afterwards. */
  static String ack(String type, JsonNode id, List<String> channels, List<Long> tokens, int subscriptions) {
    return Json.write(new AckFrame(type, id, channels, tokens, subscriptions));
  }

  /** A stream channel ended on the server's side (a replay finished): {@code unsubscribed} with reason {@code ended}. */
  static String ended(String channel, int subscriptions) {
    return Json.write(new EndedFrame("unsubscribed", List.of(channel), "ended", subscriptions));
  }

  /**
   * {@code resync}: the instrument's live stream had a hole (its entity restarted or moved, or events were lost);
   * ticks stored since {@code from} (exchange time) that this connection did not receive follow as {@code tick}
   * frames, bar/indicator/depth channels get a fresh {@code backfill}, then {@code resync_done}.
   */
  static String resync(long token, List<String> channels, long fromExchangeTs, String reason) {
    return Json.write(new ResyncFrame("resync", token, channels, io.tickloom.protocol.Timestamps.format(fromExchangeTs), reason));
  }

  /**
   * {@code resync_done}: {@code recovered} missed ticks were sent; {@code complete} false when not all could be (re-read
   * {@code GET /api/v1/ticks?token=&from=} with the {@code resync} frame's {@code from}).
   */
  static String resyncDone(long token, int recovered, boolean complete) {
    return Json.write(new ResyncDoneFrame("resync_done", token, recovered, complete));
  }

  static String pong(JsonNode id) {
    return Json.write(new PongFrame("pong", id));
  }

  static String error(JsonNode id, String code, String message) {
    return Json.write(new ErrorFrame("error", id, code, message));
  }

  static String dropped(long n) {
    return Json.write(new DroppedFrame("dropped", n));
  }
}
