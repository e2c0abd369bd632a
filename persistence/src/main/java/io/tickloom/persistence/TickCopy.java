package io.tickloom.persistence;

import io.tickloom.protocol.Tick;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Streams ticks into a table of the {@code ticks} shape with PostgreSQL's binary COPY protocol: the bare
 * mechanism under {@link TickStore#write}, public so benchmarks can compare the store's write path (partition
 * check, redelivery fallback, transaction) with a bare COPY of the same rows into the same table shape.
 *
 * <p>Rows are encoded into one reusable 64 KiB buffer that is flushed to the server whenever it fills: encoding
 * allocates nothing per tick. Not thread-safe: use one instance per thread.
 */
public final class TickCopy {
  /** The copied columns, in order. */
  public static final String COLUMNS =
      "token, exchange_ts, dkey, seq, trade_id, price, qty, side, feed, receive_ts, status, bid, ask";

  private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
  private static final int FIELDS = 13;
  private static final int MAX_ROW = 2 + 10 * (4 + 8) + 3 * (4 + 2);
  private static final int BUFFER = 1 << 16;

  private final byte[] buf = new byte[BUFFER];
  private int pos;

  /**
   * COPYs {@code ticks} into {@code table} (a plain table name) on {@code connection}: no partition check, no
   * duplicate handling, no transaction handling (in autocommit the COPY is its own transaction).
   *
   * @return rows copied
   * @throws SQLException as the server reports it, e.g. SQLState 23505 for a key already present
   */
  public long copy(Connection connection, String table, List<Tick> ticks) throws SQLException {
    String sql = "COPY " + Sql.tableName(table) + " (" + COLUMNS + ") FROM STDIN (FORMAT binary)";
    CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
    try {
      pos = 0;
      System.arraycopy(SIGNATURE, 0, buf, 0, SIGNATURE.length);
      pos = SIGNATURE.length;
      putInt(0); // flags
      putInt(0); // header extension length
      for (int i = 0, n = ticks.size(); i < n; i++) {
        if (BUFFER - pos < MAX_ROW) flush(in);
        encode(ticks.get(i));
      }
      putShort((short) -1); // trailer
      flush(in);
      return in.endCopy();
    } finally {
      if (in.isActive()) in.cancelCopy();
    }
  }

  private void encode(Tick t) {
    putShort((short) FIELDS);
    putLongField(t.token());
    putLongField(t.exchangeTs());
    putLongField(t.dedupeKey());
    putLongField(t.seq());
    if (t.hasTradeId()) putLongField(t.tradeId()); else putNull();
    putLongField(t.price());
    putLongField(t.qty());
    if (t.side() != null) putShortField(Codes.side(t.side())); else putNull();
    putShortField(Codes.feed(t.feed()));
    putLongField(t.receiveTs());
    putShortField(Codes.status(t.status()));
    if (t.bid() != Tick.NO_PRICE) putLongField(t.bid()); else putNull();
    if (t.ask() != Tick.NO_PRICE) putLongField(t.ask()); else putNull();
  }

  private void flush(CopyIn in) throws SQLException {
    if (pos > 0) in.writeToCopy(buf, 0, pos);
    pos = 0;
  }

  private void putNull() {
    putInt(-1);
  }

  private void putLongField(long v) {
    putInt(8);
    LONG.set(buf, pos, v);
    pos += 8;
  }

  private void putShortField(short v) {
    putInt(2);
    putShort(v);
  }

  private void putShort(short v) {
    SHORT.set(buf, pos, v);
    pos += 2;
  }

  private void putInt(int v) {
    INT.set(buf, pos, v);
    pos += 4;
  }

  // Big-endian views of the byte buffer: one bounds-checked store per field instead of one per byte.
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
}
