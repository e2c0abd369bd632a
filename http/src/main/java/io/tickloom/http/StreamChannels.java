package io.tickloom.http;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A provider of WebSocket channels that are not per instrument (SPEC §6: {@code orders}, {@code replay:<id>}),
 * registered in {@link HttpContext#streams()}. A client subscribes to them without {@code tokens}:
 * {@code {"action":"subscribe","channels":["orders"]}}.
 *
 * <p>The connection sends the frames of the opened source in order through its bounded, drop-oldest queue (a slow
 * client loses the oldest, never slows the source beyond the session's own processing), and cancels the source on
 * unsubscribe or when the connection ends. When the source completes, the client gets
 * {@code {"type":"unsubscribed","channels":[name],"reason":"ended"}}; when it fails, an {@code error} frame.
 */
public interface StreamChannels {
  /** The channels this provider answers: {@code name} equal to the prefix, or starting with {@code prefix + ':'}. */
  String prefix();

  /**
   * Opens {@code channel} for a connection presenting {@code key} ({@code null}: the connection gave no API key;
   * keys come from {@code X-API-Key} or the {@code ?key=} query parameter of {@code /ws}). Each element of the source
   * is one complete JSON frame with its {@code "type"}.
   *
   * @return the frames, or a stage failed with {@link IllegalArgumentException} (unknown channel or id) or
   *     {@link SecurityException} (key missing or not allowed); the exception's message is sent to the client as
   *     an {@code error} frame, so it must not leak other accounts' information
   */
  CompletionStage<Source<String, NotUsed>> open(String channel, ApiKeys.Key key);
}
