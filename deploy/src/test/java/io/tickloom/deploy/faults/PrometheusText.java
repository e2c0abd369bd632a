package io.tickloom.deploy.faults;

import java.util.HashMap;
import java.util.Map;

/** A scrape of {@code GET /metrics} (Prometheus text format): sample values by name with their label text. */
public final class PrometheusText {
  private final Map<String, Double> samples;

  private PrometheusText(Map<String, Double> samples) {
    this.samples = samples;
  }

  public static PrometheusText parse(String text) {
    Map<String, Double> samples = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) continue;
      int space = line.lastIndexOf(' ');
      if (space <= 0) continue;
      String key = line.substring(0, space).trim();
      try {
        samples.put(key, Double.parseDouble(line.substring(space + 1).trim()));
      } catch (NumberFormatException e) {
        // a timestamp column or an odd line: not a sample the harness reads
      }
    }
    return new PrometheusText(samples);
  }

  public static PrometheusText empty() {
    return new PrometheusText(Map.of());
  }

  /** The sample {@code name} without labels, or the sum over every label set of {@code name}; 0 when absent. */
  public double value(String name) {
    Double plain = samples.get(name);
    if (plain != null) return plain;
    double sum = 0;
    for (Map.Entry<String, Double> e : samples.entrySet()) {
      if (e.getKey().startsWith(name + "{")) sum += e.getValue();
    }
    return sum;
  }

  /** The sample {@code name} whose labels contain {@code label="value"}; 0 when absent. */
  public double value(String name, String label, String value) {
    String needle = label + "=\"" + value + "\"";
    double sum = 0;
    for (Map.Entry<String, Double> e : samples.entrySet()) {
      if (e.getKey().startsWith(name + "{") && e.getKey().contains(needle)) sum += e.getValue();
    }
    return sum;
  }

  public long count(String name) {
    return Math.round(value(name));
  }

  public boolean isEmpty() {
    return samples.isEmpty();
  }
}
