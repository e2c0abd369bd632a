package io.tickloom.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tickloom.protocol.format.FieldError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.util.ByteString;

/**
 * The one policy for JSON that clients send (REST bodies, WebSocket commands):
 * <ul>
 *   <li><b>size first</b>: a body whose declared length exceeds the endpoint's limit is refused with 413 before a byte
 *       is read; one that outgrows it while streaming (no or a false length) is cut off and refused with 413 the same;
 *       arrays are read item by item and refused as soon as they hold more items than allowed, so no body is parsed
 *       whole before its limits are checked;</li>
 *   <li><b>UTF-8</b> only: a body in UTF-16 or UTF-32 is refused (a UTF-8 byte order mark is skipped);</li>
 *   <li><b>strict syntax</b>: a key repeated in one object is refused naming the key (never "last wins"); content after
 *       the document, nesting deeper than 32, strings over 1 MiB, numbers of more than 64 characters and numbers
 *       whose exponent is beyond {@code int} are refused;</li>
 *   <li><b>numbers</b> are kept as exact decimals (never binary floating point), so {@code 1e400} is a value the field
 *       reader refuses as out of range (400 naming the field), not an infinity;</li>
 *   <li><b>strings</b> are checked at the edge by {@link BodyFields#text}: no control characters (NUL included), no
 *       lone surrogates, a length cap per field.</li>
 * </ul>
 * Every refusal is a {@link FieldError} naming the field at fault ({@code body} for the document), answered 400.
 */
final class JsonBodies extends AllDirectives {
  private static final JsonBodies DIRECTIVES = new JsonBodies();

  static final JsonMapper READER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              .maxNumberLength(64)
              .maxStringLength(1 << 20)
              .maxNestingDepth(32)
              .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /** One value read from a parser that goes on (an array's item): no trailing-content check after it. */
  private static final com.fasterxml.jackson.databind.ObjectReader ITEM = READER.readerFor(JsonNode.class)
      .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonBodies() {}

  /**
   * The request's body as bytes, at most {@code maxBytes}: 413 problem at once when its declared length is larger,
   * or as soon as it grows larger while streaming.
   */
  static Route body(String instance, long maxBytes, Function<byte[], CompletionStage<HttpResponse>> inner) {
    return DIRECTIVES.bounded(instance, maxBytes, inner);
  }

  private Route bounded(String instance, long maxBytes, Function<byte[], CompletionStage<HttpResponse>> inner) {
    return extractRequestEntity(entity -> {
      var declared = entity.getContentLengthOption();
      if (declared.isPresent() && declared.getAsLong() > maxBytes) {
        return complete(Problem.payloadTooLarge(instance, maxBytes).toResponse());
      }
      return withSizeLimit(maxBytes, () -> extractDataBytes(data -> extractMaterializer(mat -> completeWithFuture(
          data.runFold(ByteString.emptyByteString(), ByteString::concat, mat)
              .thenCompose(body -> inner.apply(body.toArray()))
              .exceptionally(e -> {
                Throwable cause = unwrap(e);
                if (cause instanceof org.apache.pekko.http.scaladsl.model.EntityStreamSizeException) {
                  return Problem.payloadTooLarge(instance, maxBytes).toResponse();
                }
                throw e instanceof CompletionException ce ? ce : new CompletionException(cause);
              })))));
    });
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) t = t.getCause();
    return t;
  }

  /** A document holding one JSON object. */
  static JsonNode object(byte[] body) {
    JsonNode n = tree(body);
    if (n == null || !n.isObject()) throw new FieldError("body", "expected a JSON object");
    return n;
  }

  /** A document holding one JSON object, as text (WebSocket commands). */
  static JsonNode object(String text) {
    JsonNode n;
    try {
      n = READER.readTree(text);
    } catch (IOException e) {
      throw refusal(e);
    } catch (NumberFormatException e) {
      throw refusal(e);
    }
    if (n == null || !n.isObject()) throw new FieldError("body", "expected a JSON object");
    return n;
  }

  private static JsonNode tree(byte[] body) {
    requireUtf8(body);
    try {
      return READER.readTree(body);
    } catch (IOException e) {
      throw refusal(e);
    } catch (NumberFormatException e) {
      throw refusal(e);
    }
  }

  /**
   * A document holding one JSON array of at most {@code maxItems} items, read item by item: refused as soon as item
   * {@code maxItems + 1} begins, without reading it.
   */
  static List<JsonNode> array(byte[] body, int maxItems, String items) {
    requireUtf8(body);
    try (JsonParser p = READER.createParser(body)) {
      JsonToken t = p.nextToken();
      if (t == null) throw new FieldError("body", "empty body: expected a JSON array of " + items);
      if (t != JsonToken.START_ARRAY) throw new FieldError("body", "expected a JSON array of " + items);
      List<JsonNode> out = new ArrayList<>();
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == null) throw new FieldError("body", "the array is not closed");
        if (out.size() == maxItems) throw new FieldError("body", "more than " + maxItems + " " + items + " in one request; send smaller batches");
        out.add(ITEM.readValue(p));
      }
      if (p.nextToken() != null) throw new FieldError("body", "content after the array");
      return out;
    } catch (IOException e) {
      throw refusal(e);
    } catch (NumberFormatException e) {
      throw refusal(e);
    }
  }

  /**
   * A number the reader cannot hold as a decimal ({@code 1e9999999999}: its exponent is beyond {@code int}), which
   * Jackson reports as a {@link NumberFormatException} while building the tree: refused like the reader's limits.
   */
  static FieldError refusal(NumberFormatException e) {
    return new FieldError("body", "refused by the reader's limits: a number out of range (" + e.getMessage() + ")");
  }

  /**
   * Refuses a body that is not UTF-8 by its first bytes. Jackson detects the encoding of a byte source and would read a
   * document whose first bytes hold a NUL or a UTF-16 byte order mark as UTF-16 or UTF-32, which the text entry point
   * (WebSocket commands) and the tick ingest ({@code RawTickJson}) refuse; JSON on the wire is UTF-8 (RFC 8259), and a
   * NUL cannot start a UTF-8 JSON text. A UTF-8 byte order mark is skipped (RFC 8259 lets a parser ignore it).
   */
  private static void requireUtf8(byte[] body) {
    boolean utf16Bom = body.length >= 2
        && (body[0] == (byte) 0xFE && body[1] == (byte) 0xFF || body[0] == (byte) 0xFF && body[1] == (byte) 0xFE);
    boolean nul = false;
    for (int i = 0; i < Math.min(4, body.length); i++) nul |= body[i] == 0;
    if (utf16Bom || nul) throw new FieldError("body", "not JSON: not UTF-8 (a NUL byte or a UTF-16 byte order mark at the start)");
  }

  /** A parse failure as the refusal of the field at fault. */
  static FieldError refusal(IOException e) {
    if (e instanceof StreamConstraintsException c) return new FieldError("body", "refused by the reader's limits: " + c.getOriginalMessage());
    if (e instanceof JsonParseException pe && pe.getOriginalMessage() != null && pe.getOriginalMessage().startsWith("Duplicate field")) {
      String field = null;
      try {
        JsonParser parser = pe.getProcessor();
        field = parser == null ? null : parser.currentName();
      } catch (IOException | RuntimeException ignored) {
        // the name is a nicety
      }
      return new FieldError(field == null ? "body" : field, "appears twice in one object; give each key once");
    }
    String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    return new FieldError("body", "not JSON: " + detail);
  }
}
