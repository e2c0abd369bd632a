package io.tickloom.persistence;

import java.nio.file.Path;

/**
 * Where the database is (SPEC §2: {@code TICKLOOM_DB_URL}, {@code _USER}, {@code _PASSWORD},
 * {@code TICKLOOM_DATA_DIR}).
 *
 * @param url JDBC URL of an external PostgreSQL, or null to start the embedded default under {@code dataDir}
 * @param user role to connect as; for the embedded default the role is created on first start (null: {@code postgres})
 * @param password the role's password (the embedded default trusts local connections; kept for the journal's config)
 * @param dataDir the node's data folder; the embedded default keeps its cluster in {@code <dataDir>/postgres}
 * @param poolSize connections in the store pool (HikariCP maximum and minimum idle)
 */
public record DatabaseSettings(String url, String user, String password, Path dataDir, int poolSize) {
  public DatabaseSettings {
    if (url != null && url.isBlank()) url = null;
    if (url == null && dataDir == null) throw new IllegalArgumentException("dataDir is required when no database url is set");
    if (poolSize < 1) throw new IllegalArgumentException("poolSize must be at least 1, got " + poolSize);
  }

  /** The embedded default with its data under {@code dataDir}, connecting as {@code postgres}. */
  public static DatabaseSettings embedded(Path dataDir, int poolSize) {
    return new DatabaseSettings(null, null, null, dataDir, poolSize);
  }

  /** An external PostgreSQL. */
  public static DatabaseSettings external(String url, String user, String password, int poolSize) {
    if (url == null || url.isBlank()) throw new IllegalArgumentException("url is required for an external database");
    return new DatabaseSettings(url, user, password, null, poolSize);
  }

  public boolean isEmbedded() {
    return url == null;
  }
}
