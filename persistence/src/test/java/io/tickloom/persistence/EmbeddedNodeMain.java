package io.tickloom.persistence;

import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import java.nio.file.Path;
import java.util.List;

/**
 * A stand-in node for {@link EmbeddedDatabaseIT}: opens the embedded default in {@code args[0]}, stores one
 * instrument, prints {@code READY}, and waits for stdin to close (or to be killed).
 */
public final class EmbeddedNodeMain {
  private EmbeddedNodeMain() {}

  static final Instrument INSTRUMENT = Instrument.cash(4242, Exchange.NSE, "KILLED", InstrumentKind.EQ, 5, 1, 2, 0);

  public static void main(String[] args) throws Exception {
    Database db = Database.open(DatabaseSettings.embedded(Path.of(args[0]), 1));
    new InstrumentStore(db).upsert(List.of(INSTRUMENT));
    System.out.println("READY");
    System.out.flush();
    while (System.in.read() >= 0) {
      // wait
    }
    db.close();
  }
}
