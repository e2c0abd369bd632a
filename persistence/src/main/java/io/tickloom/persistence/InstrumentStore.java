package io.tickloom.persistence;

import io.tickloom.protocol.Exchange;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.InstrumentKind;
import io.tickloom.protocol.OptionType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The instrument master (SPEC §3): token is the key, (exchange, symbol) is unique. Upserts rewrite a row only
 * when something changed, so re-importing a daily instrument dump leaves unchanged rows alone. Thread-safe;
 * blocking JDBC.
 */
public final class InstrumentStore {
  private static final String COLUMNS = "token, exchange, symbol, kind, tick_size, lot_size, price_scale, qty_scale, underlying, expiry, strike, option_type";
  private static final String UPSERT = "INSERT INTO instruments (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      + " ON CONFLICT (token) DO UPDATE SET exchange = EXCLUDED.exchange, symbol = EXCLUDED.symbol, kind = EXCLUDED.kind,"
      + " tick_size = EXCLUDED.tick_size, lot_size = EXCLUDED.lot_size, price_scale = EXCLUDED.price_scale,"
      + " qty_scale = EXCLUDED.qty_scale, underlying = EXCLUDED.underlying, expiry = EXCLUDED.expiry,"
      + " strike = EXCLUDED.strike, option_type = EXCLUDED.option_type"
      + " WHERE (instruments.*) IS DISTINCT FROM (EXCLUDED.*)";
  private static final String SELECT = "SELECT " + COLUMNS + " FROM instruments";
  // Prefix matches (served by the upper(symbol) text_pattern_ops index) first, then other substring matches.
  private static final String SEARCH = "SELECT " + COLUMNS + " FROM ("
      + "(SELECT *, 0 AS rank FROM instruments WHERE upper(symbol) LIKE ? || '%' ESCAPE '\\' ORDER BY upper(symbol) COLLATE \"C\", symbol COLLATE \"C\", exchange LIMIT ?)"
      + " UNION ALL "
      + "(SELECT *, 1 AS rank FROM instruments WHERE upper(symbol) LIKE '%' || ? || '%' ESCAPE '\\' AND upper(symbol) NOT LIKE ? || '%' ESCAPE '\\'"
      + " ORDER BY upper(symbol) COLLATE \"C\", symbol COLLATE \"C\", exchange LIMIT ?)) m ORDER BY rank, upper(symbol) COLLATE \"C\", symbol COLLATE \"C\", exchange LIMIT ?";

  private final DataSource ds;

  public InstrumentStore(DataSource ds) {
    this.ds = ds;
  }

  public InstrumentStore(Database db) {
    this(db.dataSource());
  }

  /**
   * Inserts or updates instruments by token in one transaction; of several entries with one token the last wins.
   *
   * @throws PersistenceException when the database fails (e.g. two tokens claim one exchange and symbol); then
   *     none of the batch was written
   */
  public void upsert(Collection<Instrument> instruments) {
    if (instruments.isEmpty()) return;
    // One multi-row statement may not update a row twice: keep the last entry of each token.
    Map<Long, Instrument> byToken = new LinkedHashMap<>();
    for (Instrument i : instruments) byToken.put(i.token(), i);
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
        for (Instrument i : byToken.values()) {
          ps.setLong(1, i.token());
          ps.setString(2, i.exchange().name());
          ps.setString(3, i.symbol());
          ps.setString(4, i.kind().name());
          ps.setLong(5, i.tickSize());
          ps.setLong(6, i.lotSize());
          ps.setShort(7, (short) i.priceScale());
          ps.setShort(8, (short) i.qtyScale());
          ps.setString(9, i.underlying());
          ps.setObject(10, i.expiry(), Types.DATE);
          ps.setLong(11, i.strike());
          ps.setString(12, i.optionType() == null ? null : i.optionType().name());
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new PersistenceException("storing " + instruments.size() + " instruments failed", e);
    }
  }

  /** Every instrument, by token. */
  public List<Instrument> all() {
    return query(SELECT + " ORDER BY token", ps -> {});
  }

  public Optional<Instrument> find(long token) {
    List<Instrument> r = query(SELECT + " WHERE token = ?", ps -> ps.setLong(1, token));
    return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
  }

  /** The instrument {@code exchange:symbol}, if known. */
  public Optional<Instrument> find(Exchange exchange, String symbol) {
    List<Instrument> r = query(SELECT + " WHERE exchange = ? AND symbol = ?", ps -> {
      ps.setString(1, exchange.name());
      ps.setString(2, symbol);
    });
    return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
  }

  /**
   * Instruments whose symbol contains {@code query} (case-insensitive): those starting with it first, each group in
   * symbol order (byte order, whatever the database's collation); at most {@code limit}. A blank query matches everything.
   */
  public List<Instrument> search(String query, int limit) {
    if (limit < 1) return List.of();
    String q = escapeLike(query.trim().toUpperCase(Locale.ROOT));
    return query(SEARCH, ps -> {
      ps.setString(1, q);
      ps.setInt(2, limit);
      ps.setString(3, q);
      ps.setString(4, q);
      ps.setInt(5, limit);
      ps.setInt(6, limit);
    });
  }

  private static String escapeLike(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private List<Instrument> query(String sql, Binder binder) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      List<Instrument> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(instrument(rs));
      }
      return Collections.unmodifiableList(out);
    } catch (SQLException e) {
      throw new PersistenceException("reading instruments failed", e);
    }
  }

  private static Instrument instrument(ResultSet rs) throws SQLException {
    LocalDate expiry = rs.getObject(10, LocalDate.class);
    String optionType = rs.getString(12);
    return new Instrument(rs.getLong(1), Exchange.valueOf(rs.getString(2)), rs.getString(3), InstrumentKind.valueOf(rs.getString(4)),
        rs.getLong(5), rs.getLong(6), rs.getShort(7), rs.getShort(8), rs.getString(9),
        expiry, rs.getLong(11), optionType == null ? null : OptionType.valueOf(optionType));
  }
}
