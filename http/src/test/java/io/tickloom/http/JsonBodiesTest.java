package io.tickloom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickloom.protocol.format.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reader policy of request bodies: honest documents read, the rest refused naming the field at fault. */
class JsonBodiesTest {
  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void arraysAreReadItemByItem() {
    List<JsonNode> items = JsonBodies.array(b("[{\"a\":1},{\"b\":[2,3]},\"x\"]"), 10, "things");
    assertEquals(3, items.size());
    assertEquals(1, items.get(0).get("a").asInt());
    assertEquals("x", items.get(2).asText());
    assertEquals(0, JsonBodies.array(b("[]"), 10, "things").size());
  }

  @Test
  void anArrayOverItsCapIsRefusedBeforeTheNextItemIsRead() {
    FieldError e = assertThrows(FieldError.class, () -> JsonBodies.array(b("[1,2,3,{\"broken\""), 3, "things"));
    assertEquals("body", e.field());
    assertTrue(e.detail().startsWith("more than 3 things"), e.detail());
  }

  @Test
  void aKeyGivenTwiceIsRefusedNamingIt() {
    FieldError e = assertThrows(FieldError.class, () -> JsonBodies.object(b("{\"symbol\":\"A\",\"symbol\":\"B\"}")));
    assertEquals("symbol", e.field());
    FieldError inArray = assertThrows(FieldError.class, () -> JsonBodies.array(b("[{\"token\":1,\"token\":2}]"), 10, "things"));
    assertEquals("token", inArray.field());
  }

  @Test
  void contentAfterTheDocumentAndBrokenJsonAreRefused() {
    assertEquals("body", assertThrows(FieldError.class, () -> JsonBodies.object(b("{} {}"))).field());
    assertTrue(assertThrows(FieldError.class, () -> JsonBodies.array(b("[1] 2"), 10, "things")).detail().contains("content after"));
    assertTrue(assertThrows(FieldError.class, () -> JsonBodies.object(b("{\"a\":"))).detail().startsWith("not JSON"));
    assertEquals("body", assertThrows(FieldError.class, () -> JsonBodies.object(b("[1]"))).field());
  }

  @Test
  void numbersStayExactAndHugeOnesAreRefusedByTheFieldReader() {
    JsonNode n = JsonBodies.object(b("{\"qty\":1e400,\"price\":2500.05}"));
    assertTrue(n.get("price").isBigDecimal());
    FieldError e = assertThrows(FieldError.class, () -> BodyFields.decimal(n, "qty", 0, true));
    assertEquals("qty", e.field());
    assertEquals(250_005, BodyFields.decimal(n, "price", 2, true));
  }

  @Test
  void stringsWithControlCharactersOrLoneSurrogatesAreRefused() {
    JsonNode n = JsonBodies.object(b("{\"nul\":\"a\\u0000b\",\"lone\":\"x\\ud800\",\"pair\":\"\\ud83d\\ude00\",\"long\":\"" + "y".repeat(65) + "\"}"));
    assertTrue(assertThrows(FieldError.class, () -> BodyFields.text(n, "nul", 64, true)).detail().contains("control character"));
    assertTrue(assertThrows(FieldError.class, () -> BodyFields.text(n, "lone", 64, true)).detail().contains("lone surrogate"));
    assertEquals("\ud83d\ude00", BodyFields.text(n, "pair", 64, true));
    assertTrue(assertThrows(FieldError.class, () -> BodyFields.text(n, "long", 64, true)).detail().contains("longer than 64"));
  }

  @Test
  void aNumberWhoseExponentIsBeyondIntIsRefusedOnTheBody() {
    // found by BodyFieldsFuzzTest (BodyFieldsFuzzTestInputs/fields/regression-exponent-beyond-int.json): Jackson's
    // NumberFormatException escaped every entry point (a 500, and a WebSocket session that died on the command)
    String doc = "{\"qty\":1e405615738561}";
    for (FieldError e : List.of(
        assertThrows(FieldError.class, () -> JsonBodies.object(b(doc))),
        assertThrows(FieldError.class, () -> JsonBodies.object(doc)),
        assertThrows(FieldError.class, () -> JsonBodies.array(b("[" + doc + "]"), 10, "things")),
        assertThrows(FieldError.class, () -> JsonBodies.array(b("[1e-9999999999]"), 10, "things")))) {
      assertEquals("body", e.field());
      assertTrue(e.detail().startsWith("refused by the reader's limits: a number out of range"), e.detail());
    }
  }

  @Test
  void aDecimalWithAnExponentNearTheIntLimitIsRefusedWithoutWritingItOut() {
    // seen reviewing BodyFieldsFuzzTest's first finding (seed regression-exponent-near-int-limit.json): precision - scale
    // overflowed int for 1e2147483647 (an exponent the reader takes), the range check let it through, and toPlainString,
    // asked for two billion digits, threw NegativeArraySizeException (a 500) instead of a refusal
    JsonNode n = JsonBodies.object(b("{\"qty\":1e2147483647,\"price\":-9.9E+2147483647}"));
    for (String field : List.of("qty", "price")) {
      FieldError e = assertThrows(FieldError.class, () -> BodyFields.decimal(n, field, 2, true));
      assertEquals(field, e.field());
      assertTrue(e.detail().startsWith("out of range"), e.detail());
    }
  }

  @Test
  void aBodyInUtf16OrUtf32IsRefusedAsTheTextEntryPointRefusesIt() {
    // found by JsonBodiesFuzzTest comparing object(byte[]) with object(String) (regression-utf16-body.json): Jackson
    // detected the encoding of the bytes and read {NUL}NUL as UTF-16, which the WebSocket path and the tick ingest refuse
    byte[][] bodies = {
        {'{', 0, '}', 0}, {0, '{', 0, '}'}, {'{', 0, 0, 0, '}', 0, 0, 0}, {0, 0, 0, '{', 0, 0, 0, '}'},
        {(byte) 0xFE, (byte) 0xFF, 0, '{', 0, '}'}, {(byte) 0xFF, (byte) 0xFE, '{', 0, '}', 0}};
    for (byte[] body : bodies) {
      FieldError e = assertThrows(FieldError.class, () -> JsonBodies.object(body));
      assertEquals("body", e.field());
      assertTrue(e.detail().contains("not UTF-8"), e.detail());
      assertEquals("body", assertThrows(FieldError.class, () -> JsonBodies.array(body, 10, "things")).field());
    }
    assertTrue(JsonBodies.object(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'}).isEmpty(), "a UTF-8 BOM is skipped");
    assertEquals(1, JsonBodies.array(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '[', '1', ']'}, 10, "things").size());
  }
}
