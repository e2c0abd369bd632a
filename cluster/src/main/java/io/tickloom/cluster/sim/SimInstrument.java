package io.tickloom.cluster.sim;

import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import java.util.Objects;

/**
 * One instrument of the simulated market with what the simulator needs to move it.
 *
 * @param instrument the instrument as the rest of Tickloom sees it
 * @param startPrice first price (fixed-point at the instrument's scale, a positive multiple of its tick size)
 * @param weight relative trading activity: the instrument gets {@code weight / sum(weights)} of the feed's ticks
 * @param underlyingToken for futures and options the token of the index they follow, else {@link #NO_UNDERLYING}
 * @param daysToExpiry for futures and options calendar days from the universe's date to expiry (0 on expiry day), else 0
 */
public record SimInstrument(Instrument instrument, long startPrice, int weight, long underlyingToken, int daysToExpiry) {

  public static final long NO_UNDERLYING = 0L;

  public SimInstrument {
    Objects.requireNonNull(instrument, "instrument");
    if (startPrice <= 0 || startPrice % instrument.tickSize() != 0) {
      throw new IllegalArgumentException(instrument.symbol() + ": start price " + startPrice + " is not a positive multiple of tick " + instrument.tickSize());
    }
    if (weight <= 0) throw new IllegalArgumentException(instrument.symbol() + ": weight must be positive, got " + weight);
    if (daysToExpiry < 0) throw new IllegalArgumentException(instrument.symbol() + ": daysToExpiry must be >= 0, got " + daysToExpiry);
    if (instrument.kind() == InstrumentKind.OPT && underlyingToken == NO_UNDERLYING) {
      throw new IllegalArgumentException(instrument.symbol() + ": an option needs the token of its underlying");
    }
  }

  public long token() {
    return instrument.token();
  }
}
