package io.tickloom.protocol.sequencing;

import io.tickloom.protocol.testing.Allocations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DeduperTest {

  @Test
  void firstSightOfAKeyIsTrueAndItsRepeatIsADuplicate() {
    Deduper d = new Deduper(64);
    assertTrue(d.firstSight(7));
    assertFalse(d.firstSight(7));
    assertTrue(d.firstSight(8));
    assertFalse(d.firstSight(8));
    assertEquals(2, d.accepted());
    assertEquals(2, d.duplicates());
    assertEquals(0, d.tooOld());
    assertEquals(8, d.highest());
  }

  @Test
  void outOfOrderKeysInsideTheWindowAreAcceptedExactlyOnce() {
    Deduper d = new Deduper(64);
    assertTrue(d.firstSight(10));
    assertTrue(d.firstSight(14));
    assertTrue(d.firstSight(12));
    assertTrue(d.firstSight(11));
    assertFalse(d.firstSight(12));
    assertTrue(d.firstSight(13));
    assertFalse(d.firstSight(10));
    assertFalse(d.firstSight(14));
    assertEquals(5, d.accepted());
    assertEquals(3, d.duplicates());
  }

  @Test
  void keysBelowTheFirstKeyButInsideTheWindowAreAccepted() {
    Deduper d = new Deduper(64);
    assertTrue(d.firstSight(100));
    assertTrue(d.firstSight(37));
    assertFalse(d.firstSight(37));
    assertFalse(d.firstSight(36), "100 - 64 = 36 is the first key outside the window");
    assertEquals(1, d.tooOld());
    assertEquals(1, d.duplicates());
  }

  @Test
  void keyOlderThanTheWindowIsTooOldNotDuplicate() {
    Deduper d = new Deduper(64);
    for (long k = 0; k <= 200; k++) assertTrue(d.firstSight(k));
    assertFalse(d.firstSight(136), "200 - 64");
    assertFalse(d.firstSight(3));
    assertFalse(d.firstSight(137), "inside the window and seen");
    assertEquals(2, d.tooOld());
    assertEquals(1, d.duplicates());
  }

  @Test
  void slidingForwardKeepsKeysStillInsideTheWindowAndForgetsTheReusedSlots() {
    Deduper d = new Deduper(64);
    assertTrue(d.firstSight(10));
    assertTrue(d.firstSight(20));
    assertTrue(d.firstSight(74)); // window now (10, 74]; slot of 10 reused by 74
    assertFalse(d.firstSight(20), "20 is still inside the window");
    assertFalse(d.firstSight(10), "10 fell out");
    assertTrue(d.firstSight(11), "slots between the old and new highest were cleared");
    assertTrue(d.firstSight(73));
    assertTrue(d.firstSight(84)); // window (20, 84]
    assertFalse(d.firstSight(20));
    assertTrue(d.firstSight(21));
    assertFalse(d.firstSight(74));
    assertEquals(2, d.tooOld());
    assertEquals(2, d.duplicates());
  }

  @Test
  void jumpLongerThanTheWindowClearsTheWholeRing() {
    Deduper d = new Deduper(128);
    for (long k = 0; k < 128; k++) assertTrue(d.firstSight(k));
    assertTrue(d.firstSight(1_000_000));
    for (long k = 1_000_000 - 127; k < 1_000_000; k++) {
      assertTrue(d.firstSight(k), "key " + k + " maps to a slot used before the jump");
    }
    assertFalse(d.firstSight(1_000_000 - 128));
    assertEquals(0, d.duplicates());
  }

  @Test
  void jumpOfExactlyOneWindowClearsEverySlot() {
    Deduper d = new Deduper(64);
    for (long k = 0; k < 64; k++) d.firstSight(k);
    assertTrue(d.firstSight(127)); // from 64 to 127 inclusive is 64 slots: all reused
    for (long k = 64; k < 127; k++) assertTrue(d.firstSight(k));
    assertFalse(d.firstSight(63));
  }

  @Test
  void seenAnswersWithoutRecording() {
    Deduper d = new Deduper(64);
    assertFalse(d.seen(5));
    d.firstSight(100);
    assertTrue(d.seen(100));
    assertFalse(d.seen(99));
    assertTrue(d.seen(36), "too old counts as seen");
    assertFalse(d.seen(101));
    assertTrue(d.firstSight(99));
    assertEquals(0, d.duplicates());
    assertEquals(0, d.tooOld());
  }

  @Test
  void matchesANaiveSetOnRandomMostlyIncreasingKeys() {
    int window = 1024;
    SplittableRandom rnd = new SplittableRandom(42);
    Deduper d = new Deduper(window);
    Set<Long> seen = new HashSet<>();
    long highest = -1;
    long duplicates = 0;
    long tooOld = 0;
    long base = 0;
    for (int i = 0; i < 200_000; i++) {
      int r = rnd.nextInt(100);
      long key;
      if (r < 70) key = base++; // in order
      else if (r < 90) key = Math.max(0, base - 1 - rnd.nextInt(1500)); // redelivery or late, sometimes too old
      else if (r < 99) key = base + rnd.nextInt(50); // a little ahead
      else key = base += rnd.nextInt(5000); // jump, sometimes past the whole window
      boolean expected;
      if (key > highest) {
        expected = true;
      } else if (key <= highest - window) {
        expected = false;
        tooOld++;
      } else if (seen.contains(key)) {
        expected = false;
        duplicates++;
      } else {
        expected = true;
      }
      if (expected) {
        seen.add(key);
        highest = Math.max(highest, key);
      }
      assertEquals(expected, d.firstSight(key), "key " + key + " at step " + i);
    }
    assertEquals(duplicates, d.duplicates());
    assertEquals(tooOld, d.tooOld());
    assertEquals(seen.size(), d.accepted());
    assertTrue(duplicates > 1000 && tooOld > 1000, "the run exercised both refusals");
  }

  @Test
  void firstSightAllocatesNothing() {
    Deduper d = new Deduper(65536);
    Runnable run = () -> {
      long k = 0;
      for (int i = 0; i < 1_000_000; i++) {
        d.firstSight(k);
        if ((i & 7) == 0) d.firstSight(k - 3 < 0 ? 0 : k - 3);
        k += 1 + (i & 1);
      }
    };
    long bytes = Allocations.measure(run);
    assertTrue(bytes < 64 * 1024, "allocated " + bytes + " bytes over 1M calls");
  }

  @Test
  void negativeKeyIsRefused() {
    Deduper d = new Deduper(64);
    assertThrows(IllegalArgumentException.class, () -> d.firstSight(-1));
  }

  @Test
  void windowMustBeAPowerOfTwoOfAtLeast64() {
    assertThrows(IllegalArgumentException.class, () -> new Deduper(1000));
    assertThrows(IllegalArgumentException.class, () -> new Deduper(32));
    assertEquals(65536, new Deduper(65536).window());
  }
}
