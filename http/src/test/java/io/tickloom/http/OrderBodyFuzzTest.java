package io.tickloom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.tickloom.cluster.InstrumentRegistry;
import io.tickloom.cluster.oms.OrderId;
import io.tickloom.cluster.oms.OrderRequest;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.format.FieldError;

/**
 * Coverage-guided fuzzing of the body reader of {@code POST /api/v1/orders}, {@link OrderRoutes#account} then
 * {@link OrderRoutes#request} (what {@code place} does when the account is the key's), over the instruments of the
 * http tests: only a {@link FieldError} escapes; a request accepted is well formed ({@link OrderRequest#problem()}
 * null), names an instrument of the directory, has a positive qty, and its price and trigger price are on the
 * instrument's tick size when the type carries them and 0 when it does not. Seeds in
 * {@code OrderBodyFuzzTestInputs/request}: bodies of {@code OrderApiIT}.
 */
class OrderBodyFuzzTest {
  private static final InstrumentRegistry INSTRUMENTS = new InstrumentRegistry(Fixtures.ALL);

  @FuzzTest(maxDuration = "10s")
  void request(byte[] body) {
    JsonNode n = FuzzBodies.objectOrNull(body);
    if (n == null) return;
    OrderRoutes.Placing placing;
    try {
      String account = OrderRoutes.account(n);
      assertTrue(OrderId.validAccount(account), account);
      placing = OrderRoutes.request(n, account, INSTRUMENTS);
    } catch (FieldError e) {
      FuzzBodies.checkRefusal(e);
      return;
    }
    OrderRequest r = placing.request();
    Instrument in = placing.instrument();
    assertNull(r.problem(), r::toString);
    assertEquals(in, INSTRUMENTS.find(r.token()).orElseThrow());
    assertTrue(r.qty() > 0, r::toString);
    if (r.type().priced()) {
      assertTrue(r.price() > 0 && r.price() % in.tickSize() == 0, r::toString);
    } else {
      assertEquals(0, r.price(), r::toString);
    }
    if (r.type().triggered()) {
      assertTrue(r.triggerPrice() > 0 && r.triggerPrice() % in.tickSize() == 0, r::toString);
    } else {
      assertEquals(0, r.triggerPrice(), r::toString);
    }
  }
}
