package io.tickloom.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickloom.persistence.DeadLetterStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code tickloom admin} against a real node: the operator lists and retries the read side's dead letters and throws and
 * lifts kill switches; a key without the role {@code admin} is refused with exit 2.
 */
class AdminCliIT {
  static final String ADMIN = "admin-cli-ops";
  static final String TRADER = "admin-cli-trader";
  static TickloomNode node;
  static URI base;

  @BeforeAll
  static void start() throws Exception {
    node = TickloomNode.start(NodeConfig.load(TestNodes.overrides("tickloom.node.feeds = \"\"",
        "tickloom.http.api-keys = \"" + ADMIN + ":OPS:admin," + TRADER + ":ACC:trader\"")));
    base = URI.create("http://127.0.0.1:" + node.httpPort() + "/");
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  record Run(int code, List<String> out, String err) {}

  static Run run(String key, AdminClient.AdminFailure[] failure, AdminCall call) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AdminClient client = new AdminClient(base, key, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = call.run(client);
    } catch (AdminClient.AdminFailure e) {
      failure[0] = e;
      code = 2;
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8));
  }

  @FunctionalInterface
  interface AdminCall {
    int run(AdminClient c) throws AdminClient.AdminFailure;
  }

  @Test
  void deadLettersAreListedAndARetryThatFailsAgainKeepsThemOpenWithExitOne() throws Exception {
    AdminClient.AdminFailure[] failure = new AdminClient.AdminFailure[1];
    Run empty = run(ADMIN, failure, c -> c.deadLetters(false, false));
    assertEquals(0, empty.code(), empty.err());
    assertEquals(1, empty.out().size(), "only the header: " + empty.out());

    // an event the read side could not apply, as the projection records it; its order's events are not in the journal,
    // so a retry cannot resolve it
    try (Connection c = node.database().dataSource().getConnection()) {
      DeadLetterStore.record(c, "order-projection", "order|ACC.missing", 3, "OrderAccepted", "an accept before OrderSubmitted",
          System.currentTimeMillis() * 1_000_000L);
    }
    Run listed = run(ADMIN, failure, c -> c.deadLetters(false, false));
    assertEquals(0, listed.code(), listed.err());
    assertEquals(2, listed.out().size(), listed.out().toString());
    String[] row = listed.out().get(1).split("\t");
    assertEquals(List.of("order-projection", "order|ACC.missing", "3", "OrderAccepted", "0", "-"),
        List.of(row[1], row[2], row[3], row[4], row[5], row[7]));
    assertEquals("an accept before OrderSubmitted", row[8]);

    Run retried = run(ADMIN, failure, c -> c.deadLetters(false, true));
    assertEquals(1, retried.code(), "still open after the retry: exit 1; " + retried.err());
    assertTrue(retried.err().contains("retried: 0 resolved, 1 still open"), retried.err());
    String[] again = retried.out().get(1).split("\t");
    assertEquals("1", again[5], "one retry counted");
    assertTrue(again[8].contains("not in the journal"), "the new error replaces the old: " + again[8]);

    // a trader's key is refused: nothing listed, exit 2 with the node's reason
    Run refused = run(TRADER, failure, c -> c.deadLetters(false, false));
    assertEquals(2, refused.code());
    assertTrue(failure[0].getMessage().contains("403"), failure[0].getMessage());
    assertEquals(List.of(), refused.out());
  }

  @Test
  void killSwitchesAreShownThrownAndLifted() {
    AdminClient.AdminFailure[] failure = new AdminClient.AdminFailure[1];
    Run halted = run(ADMIN, failure, c -> c.killSwitch("ACC", true, "runaway algo"));
    assertEquals(0, halted.code(), halted.err());
    assertTrue(halted.out().stream().anyMatch(l -> l.startsWith("ACC\ttrue\trunaway algo\t")), halted.out().toString());
    assertTrue(halted.err().contains("global: trading"), halted.err());

    Run shown = run(ADMIN, failure, c -> c.killSwitch(null, null, null));
    assertTrue(shown.out().stream().anyMatch(l -> l.startsWith("ACC\ttrue\t")), shown.out().toString());

    Run lifted = run(ADMIN, failure, c -> c.killSwitch("ACC", false, null));
    assertTrue(lifted.out().stream().anyMatch(l -> l.startsWith("ACC\tfalse\t")), lifted.out().toString());

    Run global = run(ADMIN, failure, c -> c.killSwitch(null, true, "market halt"));
    assertTrue(global.err().contains("global: HALTED"), global.err());
    assertEquals(0, run(ADMIN, failure, c -> c.killSwitch(null, false, null)).code());

    // the command line itself: options parsed, a bad account named by the node, exit 2
    int code = new CommandLine(new Main()).execute("admin", "kill-switch", "--halt", "--account", "bad account",
        "--url", base.toString(), "--key", ADMIN);
    assertEquals(2, code);
    assertEquals(2, new CommandLine(new Main()).execute("admin", "kill-switch", "--halt", "--release", "--url", base.toString()),
        "--halt and --release exclude each other");
    assertEquals(0, new CommandLine(new Main()).execute("admin", "dead-letters", "--all", "--url", base.toString(), "--key", ADMIN));
  }

  @Test
  void anUnreachableNodeIsExitTwoWithTheReason() {
    AdminClient client = new AdminClient(URI.create("http://127.0.0.1:1/"), ADMIN, System.out, System.err);
    AdminClient.AdminFailure e = assertThrows(AdminClient.AdminFailure.class, () -> client.deadLetters(false, false));
    assertTrue(e.getMessage().startsWith("cannot reach http://127.0.0.1:1/"), e.getMessage());
  }
}
