package io.tickloom.protocol.format;

import io.tickloom.protocol.Tick;
import java.io.Closeable;

/**
 * A streaming reader of ticks from a line-oriented file: one row at a time, never the whole file in memory.
 * A malformed row ends reading with a {@link FormatException} that names its line; no tick is produced
 * from it. I/O errors surface as {@link java.io.UncheckedIOException}.
 */
public interface TickReader extends Closeable {
  /** The next tick, or null at the end of the input. Allocates the tick and the line's string. */
  Tick next();

  /** 1-based number of the last line read (0 before the first). */
  long line();
}
