package io.tickloom.protocol.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A missing prerequisite skips a test on a laptop and fails it where the build requires it (CI). */
class PrerequisitesTest {
  @Test
  void aMissingOracleSkipsUnlessRequiredThenFails() {
    String before = System.getProperty(Prerequisites.ORACLE_REQUIRED);
    try {
      System.clearProperty(Prerequisites.ORACLE_REQUIRED);
      assertDoesNotThrow(() -> Prerequisites.oracle(true, "present"));
      TestAbortedException skipped = assertThrows(TestAbortedException.class, () -> Prerequisites.oracle(false, "oracle data absent at X"));
      assertTrue(skipped.getMessage().contains("oracle data absent at X"), skipped.getMessage());
      System.setProperty(Prerequisites.ORACLE_REQUIRED, "true");
      AssertionFailedError failed = assertThrows(AssertionFailedError.class, () -> Prerequisites.oracle(false, "oracle data absent at X"));
      assertTrue(failed.getMessage().contains("-Dtickloom.oracle.required=true"), failed.getMessage());
      assertDoesNotThrow(() -> Prerequisites.oracle(true, "present"));
    } finally {
      if (before == null) System.clearProperty(Prerequisites.ORACLE_REQUIRED);
      else System.setProperty(Prerequisites.ORACLE_REQUIRED, before);
    }
  }

  @Test
  void theBrowserHasItsOwnSwitch() {
    String oracle = System.getProperty(Prerequisites.ORACLE_REQUIRED);
    String browser = System.getProperty(Prerequisites.BROWSER_REQUIRED);
    try {
      System.setProperty(Prerequisites.ORACLE_REQUIRED, "true");
      System.clearProperty(Prerequisites.BROWSER_REQUIRED);
      assertThrows(TestAbortedException.class, () -> Prerequisites.browser(false, "no chromium"));
      System.setProperty(Prerequisites.BROWSER_REQUIRED, "true");
      assertThrows(AssertionFailedError.class, () -> Prerequisites.browser(false, "no chromium"));
    } finally {
      restore(Prerequisites.ORACLE_REQUIRED, oracle);
      restore(Prerequisites.BROWSER_REQUIRED, browser);
    }
  }

  private static void restore(String key, String value) {
    if (value == null) System.clearProperty(key);
    else System.setProperty(key, value);
  }
}
