package io.tickloom.protocol.sequencing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A stray absurd key is refused and the honest keys go on; a real new range confirms itself, in one batch or across batches. */
class JumpGuardTest {
  static final JumpGuard.Following NONE = i -> -1;

  static JumpGuard.Following of(long... keys) {
    return i -> keys[i];
  }

  @Test
  void keysWithinTheJumpAndLateKeysPassAndTheFirstKeyAlways() {
    JumpGuard g = new JumpGuard(1_000, 3);
    assertTrue(g.admit(1L << 62, -1, NONE, 0, 0), "no history yet: nothing to judge against");
    assertTrue(g.admit(1_500, 1_000, NONE, 0, 0));
    assertTrue(g.admit(2_000, 1_000, NONE, 0, 0), "exactly maxJump");
    assertTrue(g.admit(5, 1_000, NONE, 0, 0), "late keys are the deduper's business");
  }

  @Test
  void aStrayAbsurdKeyIsRefusedAndTheHonestOnesGoOn() {
    JumpGuard g = new JumpGuard(1_000, 3);
    long[] batch = {101, 1L << 62, 102, 103};
    assertFalse(g.admit(batch[1], 100, of(batch), 2, 4));
    assertTrue(g.admit(102, 100, NONE, 0, 0));
    assertFalse(g.admit((1L << 62) + 5_000, 103, NONE, 0, 0), "another stray far from the first: refused too");
  }

  @Test
  void aNewRangeWithEnoughTicksInOneBatchIsTakenAtOnce() {
    JumpGuard g = new JumpGuard(1_000, 3);
    long[] batch = {9_000_000, 9_000_001, 9_000_002};
    assertTrue(g.admit(batch[0], 100, of(batch), 1, 3));
  }

  @Test
  void aNewRangeTricklingInConfirmsItselfAfterRefusingItsFirstKeys() {
    JumpGuard g = new JumpGuard(1_000, 3);
    assertFalse(g.admit(9_000_000, 100, NONE, 0, 0));
    assertFalse(g.admit(9_000_001, 100, NONE, 0, 0));
    assertTrue(g.admit(9_000_002, 100, NONE, 0, 0), "the third key of the new range confirms it");
  }

  @Test
  void oneConfirmationTurnsTheGuardOff() {
    assertTrue(new JumpGuard(1, 1).admit(1L << 62, 0, NONE, 0, 0));
  }
}
