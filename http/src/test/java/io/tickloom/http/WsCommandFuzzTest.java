package io.tickloom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.tickloom.protocol.format.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Coverage-guided fuzzing of the reading of a WebSocket command (what {@link WsSession} does with a text message before
 * it touches a subscription): {@link JsonBodies#object(String)}, the {@code action}, then
 * {@link WsSession#readChannels} and {@link WsSession#readTokens} over the arrays, and {@link WsSession.Channel#parse}
 * over the whole text as a channel name. Only a {@link FieldError} (the document) or an {@link IllegalArgumentException}
 * (a channel name) escapes; the readers answer every item, as a channel, a stream name, a token or a problem; a channel
 * accepted reads back from its wire name. Seeds in {@code WsCommandFuzzTestInputs/command}: commands of the http tests.
 */
class WsCommandFuzzTest {
  /** Stream channel names as a node with the orders and replay providers sees them. */
  private static final Predicate<String> STREAMS =
      name -> name.equals("orders") || name.startsWith("orders:") || name.equals("replay") || name.startsWith("replay:");

  @FuzzTest(maxDuration = "10s")
  void command(byte[] message) {
    String text = new String(message, StandardCharsets.UTF_8);
    channel(text);

    JsonNode msg;
    try {
      msg = JsonBodies.object(text);
    } catch (FieldError e) {
      FuzzBodies.checkRefusal(e);
      return;
    }
    JsonNode action = msg.get("action");
    if (action == null || !action.isTextual()) return; // answered bad_request
    JsonNode channels = msg.get("channels");
    if (channels == null || !channels.isArray() || channels.isEmpty()) return; // answered bad_request
    List<String> problems = new ArrayList<>();
    Set<String> streams = new LinkedHashSet<>();
    List<WsSession.Channel> read = WsSession.readChannels(channels, STREAMS, problems, streams);
    assertTrue(read.size() + streams.size() + problems.size() >= 1, "every item is answered");
    assertEquals(read.size(), new LinkedHashSet<>(read).size(), "each channel once");
    for (WsSession.Channel c : read) assertEquals(c, WsSession.Channel.parse(c.wire()));
    for (String s : streams) assertTrue(STREAMS.test(s), s);

    JsonNode tokens = msg.get("tokens");
    if (tokens == null || !tokens.isArray() || tokens.isEmpty()) return; // answered bad_request
    problems.clear();
    List<Long> ids = WsSession.readTokens(tokens, problems);
    assertTrue(ids.size() + problems.size() >= 1, "every item is answered");
    assertTrue(ids.size() <= tokens.size());
    assertEquals(ids.size(), new LinkedHashSet<>(ids).size(), "each token once");
    for (String p : problems) assertFalse(p.isBlank());
  }

  private static void channel(String name) {
    WsSession.Channel c;
    try {
      c = WsSession.Channel.parse(name);
    } catch (IllegalArgumentException e) {
      assertFalse(e.getMessage() == null || e.getMessage().isBlank());
      return;
    }
    assertEquals(c, WsSession.Channel.parse(c.wire()), c::wire);
  }
}
