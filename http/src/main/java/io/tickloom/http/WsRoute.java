package io.tickloom.http;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.CompletionStrategy;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.StreamLimitReachedException;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import org.apache.pekko.stream.typed.javadsl.ActorSource;

/**
 * Builds the stream of one {@code /ws} connection: client messages are read (at most {@code max-frame-size}
 * characters each) and handed one at a time to the connection's {@link WsSession} actor, which acks each; frames
 * flow back from the actor through a source that takes one frame at a time. Both directions are coupled: when
 * either ends, the other ends and the actor stops.
 */
final class WsRoute {
  private final HttpContext ctx;
  private final HttpMetrics metrics;
  /** Numbers the servers of this JVM, so session actor names never collide when one ActorSystem binds twice. */
  private static final AtomicLong SERVERS = new AtomicLong();

  private final AtomicLong ids = new AtomicLong();
  private final String namePrefix = "ws-session-" + SERVERS.incrementAndGet() + "-";

  WsRoute(HttpContext ctx, HttpMetrics metrics) {
    this.ctx = ctx;
    this.metrics = metrics;
  }

  /**
   * A flow for one new connection that presented {@code key} (null: none), for the stream channels that need one; its
   * {@link WsSession} is spawned when the flow is materialized, with the connection's limits, and runs {@code release}
   * when it ends.
   */
  Flow<Message, Message, ?> connection(ApiKeys.Key key, RateLimits limits, Runnable release) {
    return Flow.fromMaterializer((mat, attrs) -> {
      ActorRef<WsSession.Command> session = ctx.system().systemActorOf(WsSession.create(ctx, metrics, key, limits, release),
          namePrefix + ids.incrementAndGet(), Props.empty());
      int maxChars = ctx.settings().ws().maxFrameSize();
      Sink<Message, NotUsed> in = Flow.<Message>create()
          .mapAsync(1, m -> read(m, maxChars, mat))
          .to(ActorSink.<WsSession.In, WsSession.Command, WsSession.InAck>actorRefWithBackpressure(
              session,
              WsSession.Inbound::new,
              WsSession.InboundInit::new,
              WsSession.InAck.INSTANCE,
              WsSession.InboundClosed.INSTANCE,
              WsSession.InboundFailed::new));
      Source<Message, NotUsed> out = ActorSource.<WsSession.Out, WsSession.OutAck>actorRefWithBackpressure(
              session.narrow(),
              WsSession.OutAck.INSTANCE,
              o -> o instanceof WsSession.Out.Complete ? Optional.of(CompletionStrategy.draining()) : Optional.empty(),
              o -> Optional.empty())
          .map(o -> (Message) TextMessage.create(((WsSession.Out.Frame) o).json()))
          .mapMaterializedValue(ref -> {
            session.tell(new WsSession.OutboundReady(ref));
            return NotUsed.getInstance();
          });
      return Flow.fromSinkAndSourceCoupled(in, out);
    });
  }

  /** Reads one client message completely, but never more than {@code maxChars} characters of it. */
  static CompletionStage<WsSession.In> read(Message m, int maxChars, Materializer mat) {
    if (!m.isText()) {
      m.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), mat);
      return CompletableFuture.completedFuture(new WsSession.In.Binary());
    }
    TextMessage t = m.asTextMessage();
    if (t.isStrict()) {
      String s = t.getStrictText();
      return CompletableFuture.completedFuture(s.length() > maxChars ? new WsSession.In.TooBig(maxChars) : new WsSession.In.Text(s));
    }
    // Read to the end of the message (so the connection stays in step and can carry the frame_too_big answer), keeping at
    // most maxChars characters: a bigger message costs reading it, never memory.
    return t.getStreamedText()
        .runFold(new StringBuilder(), (sb, chunk) -> {
          if (sb.length() <= maxChars) sb.append(chunk, 0, Math.min(chunk.length(), maxChars + 1 - sb.length()));
          return sb;
        }, mat)
        .thenApply(sb -> sb.length() > maxChars ? new WsSession.In.TooBig(maxChars) : new WsSession.In.Text(sb.toString()));
  }
}
