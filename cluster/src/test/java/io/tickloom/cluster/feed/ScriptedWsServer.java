package io.tickloom.cluster.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * A WebSocket server for feed tests, on 127.0.0.1 and a free port ({@link #url()}). The n-th connection (0-based)
 * plays the n-th {@link Script}: it waits until the client has sent {@code awaitClientMessages} text messages (a
 * Kite client subscribes first), sends the script's messages in order, then either closes the connection (a
 * drop: the client must reconnect) or keeps it open and silent. Connections beyond the scripts stay open and
 * silent. The text messages each connection received from its client are recorded ({@link #received(int)}).
 */
final class ScriptedWsServer implements AutoCloseable {

  /** What one connection plays. */
  record Script(int awaitClientMessages, List<Message> messages, boolean closeAfter) {
    Script {
      messages = List.copyOf(messages);
    }

    /** Plays {@code messages} at once, then closes the connection. */
    static Script thenDrop(List<Message> messages) {
      return new Script(0, messages, true);
    }

    /** Plays {@code messages} at once, then keeps the connection open. */
    static Script thenStay(List<Message> messages) {
      return new Script(0, messages, false);
    }

    /** This script, played only once the client sent {@code n} text messages. */
    Script afterClientSent(int n) {
      return new Script(n, messages, closeAfter);
    }
  }

  private final List<Script> scripts;
  private final AtomicInteger connections = new AtomicInteger();
  private final ConcurrentHashMap<Integer, List<String>> received = new ConcurrentHashMap<>();
  private final Materializer mat;
  private ServerBinding binding;

  private ScriptedWsServer(ActorSystem<?> system, List<Script> scripts) {
    this.scripts = List.copyOf(scripts);
    this.mat = Materializer.matFromSystem(system);
  }

  /** Binds the server (blocking, at most 10 s). */
  static ScriptedWsServer start(ActorSystem<?> system, List<Script> scripts) throws Exception {
    ScriptedWsServer server = new ScriptedWsServer(system, scripts);
    server.binding = Http.get(system).newServerAt("127.0.0.1", 0)
        .bind(Directives.path("ws", () -> Directives.extractRequest(request -> Directives.handleWebSocketMessages(server.nextConnection()))))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    return server;
  }

  String url() {
    return "ws://127.0.0.1:" + binding.localAddress().getPort() + "/ws";
  }

  /** Connections accepted so far. */
  int connections() {
    return connections.get();
  }

  /** The text messages connection {@code n} (0-based) received from its client so far; empty when there was none. */
  List<String> received(int n) {
    List<String> texts = received.get(n);
    return texts == null ? List.of() : List.copyOf(texts);
  }

  private Flow<Message, Message, NotUsed> nextConnection() {
    int n = connections.getAndIncrement();
    Script script = n < scripts.size() ? scripts.get(n) : new Script(0, List.of(), false);
    List<String> texts = new CopyOnWriteArrayList<>();
    received.put(n, texts);
    CompletableFuture<Done> subscribed = new CompletableFuture<>();
    if (script.awaitClientMessages() == 0) subscribed.complete(Done.getInstance());
    Sink<Message, NotUsed> in = Flow.<Message>create()
        .mapAsync(1, this::textOf)
        .to(Sink.foreach(text -> {
          if (text.isEmpty()) return;
          texts.add(text);
          if (texts.size() >= script.awaitClientMessages()) subscribed.complete(Done.getInstance());
        }));
    Source<Message, NotUsed> out = Source.completionStage(subscribed).flatMapConcat(d -> Source.from(script.messages()));
    if (!script.closeAfter()) out = out.concat(Source.never());
    // Coupled: when the script's source completes the server closes the socket, and a client that leaves ends it.
    return Flow.fromSinkAndSourceCoupled(in, out);
  }

  /** The whole text of a text message; "" for a binary one (drained). */
  private CompletionStage<String> textOf(Message m) {
    if (m.isText()) {
      TextMessage t = m.asTextMessage();
      if (t.isStrict()) return CompletableFuture.completedFuture(t.getStrictText());
      return t.getStreamedText().runFold(new StringBuilder(), StringBuilder::append, mat).thenApply(StringBuilder::toString);
    }
    BinaryMessage b = m.asBinaryMessage();
    if (b.isStrict()) return CompletableFuture.completedFuture("");
    return b.getStreamedData().runWith(Sink.ignore(), mat).thenApply(d -> "");
  }

  /** Text messages, one per string. */
  static List<Message> texts(List<String> texts) {
    List<Message> out = new ArrayList<>(texts.size());
    for (String t : texts) out.add(TextMessage.create(t));
    return out;
  }

  static Message binary(byte[] bytes) {
    return BinaryMessage.create(ByteString.fromArray(bytes));
  }

  @Override
  public void close() throws Exception {
    // Open connections end with the ActorSystem; the feeds' kill switches end theirs first.
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
