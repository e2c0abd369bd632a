package io.tickloom.http;

import io.tickloom.protocol.Bar;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Tick;

/** The WebSocket's tick and bar frames as text, for other outlets of the same data (the Kafka outbound topics). */
public final class OutboundJson {
  private OutboundJson() {}

  public static String tick(Tick t, Instrument i) {
    return WsFrames.tick(t, i);
  }

  public static String bar(Bar b, Instrument i) {
    return WsFrames.bar(b, i);
  }
}
