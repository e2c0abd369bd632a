package io.tickloom.protocol.sequencing;

import io.tickloom.protocol.Gap;

/**
 * Told by a {@link Sequencer} when a gap opens ({@link Gap.State#OPEN}) and when it closes
 * ({@link Gap.State#FILLED} or {@link Gap.State#LOST}). Called synchronously on the sequencer's thread,
 * before {@code accept}/{@code expire} returns; the owner typically stores the gap and publishes it.
 */
@FunctionalInterface
public interface GapListener {
  void onGap(Gap gap);

  /** A listener that ignores every gap. */
  GapListener NONE = gap -> {};
}
