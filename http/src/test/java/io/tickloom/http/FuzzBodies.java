package io.tickloom.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickloom.protocol.format.FieldError;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** What the request-body fuzz tests share: the text of a body, the document of a body, the shape of a refusal. */
final class FuzzBodies {
  private FuzzBodies() {}

  /**
   * The text of {@code bytes} when they are well-formed UTF-8, without a leading byte order mark, else null: where
   * the byte and the String entry points of {@link JsonBodies} read the same document.
   */
  static String strictUtf8(byte[] bytes) {
    try {
      String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
      return s.startsWith("\uFEFF") ? s.substring(1) : s;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** The JSON object of {@code body}, or null when {@link JsonBodies#object(byte[])} refuses it (as a refusal should). */
  static JsonNode objectOrNull(byte[] body) {
    try {
      return JsonBodies.object(body);
    } catch (FieldError e) {
      checkRefusal(e);
      return null;
    }
  }

  /** A refusal names a field ({@code body} for the document) and says why. */
  static void checkRefusal(FieldError e) {
    assertNotNull(e.field());
    assertNotNull(e.detail(), e.getMessage());
    assertFalse(e.detail().isBlank(), e.getMessage());
  }
}
