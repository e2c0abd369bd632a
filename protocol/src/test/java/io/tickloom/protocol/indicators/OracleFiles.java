package io.tickloom.protocol.indicators;

import io.tickloom.protocol.testing.Prerequisites;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared oracle folder (oracle README §5): from the system property {@code tickloom.oracle} (set by the build),
 * else {@code ../../shared/oracle} relative to the module. Tests that need it are skipped with this message when a
 * file is absent; the self-made fixtures and the ta4j differential tests cover the same logic without it.
 */
final class OracleFiles {
  private OracleFiles() {}

  static Path require(String relative) {
    String configured = System.getProperty("tickloom.oracle");
    Path dir = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("../../shared/oracle");
    Path file = dir.resolve(relative);
    Prerequisites.oracle(Files.isRegularFile(file), "oracle data absent: " + dir.toAbsolutePath().normalize() + " has no "
        + relative + " (set -Dtickloom.oracle=DIR)");
    return file;
  }

  /** A CSV with a header line (after {@code skipLines} leading lines) as rows of column name to text. */
  static List<Map<String, String>> csv(Path file, int skipLines) {
    try {
      List<String> lines = Files.readAllLines(file);
      String[] header = lines.get(skipLines).split(",", -1);
      List<Map<String, String>> rows = new ArrayList<>();
      for (String line : lines.subList(skipLines + 1, lines.size())) {
        if (line.isBlank()) continue;
        String[] f = line.split(",", -1);
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < header.length; i++) row.putIfAbsent(header[i], i < f.length ? f[i] : "");
        rows.add(row);
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
