package io.tickloom.protocol.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from outside the repository: the oracle data (real market data with its source's own derived output,
 * a folder beside the checkout) and a browser (Debian's chromium and chromium-driver). On a developer's laptop a test
 * whose prerequisite is missing is skipped with the reason; where the build says the prerequisite is required
 * ({@code -Dtickloom.oracle.required=true}, {@code -Dtickloom.browser.required=true}, both set by {@code .ci/run}) it
 * fails instead, so a green CI run shows that the oracle and browser tests ran.
 */
public final class Prerequisites {
  public static final String ORACLE_REQUIRED = "tickloom.oracle.required";
  public static final String BROWSER_REQUIRED = "tickloom.browser.required";

  private Prerequisites() {}

  /** Goes on when {@code present}; else skips the test, or fails it under {@code -Dtickloom.oracle.required=true}. */
  public static void oracle(boolean present, String missing) {
    require(present, ORACLE_REQUIRED, missing);
  }

  /** Goes on when {@code present}; else skips the test, or fails it under {@code -Dtickloom.browser.required=true}. */
  public static void browser(boolean present, String missing) {
    require(present, BROWSER_REQUIRED, missing);
  }

  private static void require(boolean present, String property, String missing) {
    if (present) return;
    if (Boolean.getBoolean(property)) Assertions.fail(missing + " (required here: -D" + property + "=true)");
    Assumptions.abort(missing + ": skipped (-D" + property + "=true makes this a failure)");
  }
}
