package io.tickloom.cluster;

import io.tickloom.protocol.Instrument;
import java.util.List;
import java.util.Optional;

/** The node's in-memory view of the instrument master (loaded from PostgreSQL, kept current). Thread-safe, non-blocking. */
public interface InstrumentDirectory {
  Optional<Instrument> find(long token);

  /** The instrument {@code EXCHANGE:SYMBOL} ({@link Instrument#key()}), if known. */
  Optional<Instrument> find(String key);

  /** Instruments whose symbol starts with {@code query} first, then those that contain it; case-insensitive; ordered by symbol. */
  List<Instrument> search(String query, int limit);

  int size();
}
