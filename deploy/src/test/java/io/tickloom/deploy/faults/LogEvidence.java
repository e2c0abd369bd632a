package io.tickloom.deploy.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the node logs say about a fault, in a few lines: per log, ERROR/WARN counts and the lines of known fault
 * symptoms (undeliverable ingest batches, unreachable members, split-brain-resolver decisions, shard hand-overs), the
 * first and last of each with their time, so a report can cite them.
 */
public final class LogEvidence {
  private LogEvidence() {}

  /** Symptom name to the text that identifies its lines. */
  static final Map<String, String> SYMPTOMS = new LinkedHashMap<>();

  static {
    SYMPTOMS.put("undelivered ingest batch", "could not be delivered to its entity");
    SYMPTOMS.put("member unreachable", "as [Unreachable]");
    SYMPTOMS.put("marked unreachable", "Marking node as UNREACHABLE");
    SYMPTOMS.put("SBR decision", "SBR took decision");
    SYMPTOMS.put("leader removing", "Leader is removing");
    SYMPTOMS.put("shard handoff", "HandOff");
    SYMPTOMS.put("association failure", "Association with remote system");
    SYMPTOMS.put("ask timeout", "AskTimeoutException");
    SYMPTOMS.put("circuit breaker", "Circuit Breaker");
    SYMPTOMS.put("store failure", "store");
  }

  /** Notes about every log of {@code nodes}. */
  public static List<String> notes(List<NodeProcess> nodes) {
    List<String> notes = new ArrayList<>();
    for (NodeProcess n : nodes) {
      for (Path log : n.logs()) notes.addAll(notes(log));
    }
    return notes;
  }

  static List<String> notes(Path log) {
    List<String> lines;
    try {
      lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return List.of(log.getFileName() + ": unreadable (" + e + ")");
    }
    int errors = 0;
    int warns = 0;
    Map<String, List<String>> hits = new LinkedHashMap<>();
    for (String line : lines) {
      boolean error = line.contains(" ERROR ");
      boolean warn = line.contains(" WARN ");
      if (error) errors++;
      if (warn) warns++;
      if (!error && !warn && !line.contains(" INFO ")) continue;
      for (Map.Entry<String, String> s : SYMPTOMS.entrySet()) {
        if (s.getKey().equals("store failure") && !(error && line.contains("store"))) continue;
        if (line.contains(s.getValue())) hits.computeIfAbsent(s.getKey(), k -> new ArrayList<>()).add(line);
      }
    }
    List<String> notes = new ArrayList<>();
    notes.add(String.format("%s: %d lines, %d ERROR, %d WARN", log.getFileName(), lines.size(), errors, warns));
    for (Map.Entry<String, List<String>> h : hits.entrySet()) {
      List<String> l = h.getValue();
      notes.add(String.format("%s: %s x%d, first: %s", log.getFileName(), h.getKey(), l.size(), clip(l.get(0))));
      if (l.size() > 1) notes.add(String.format("%s: %s last: %s", log.getFileName(), h.getKey(), clip(l.get(l.size() - 1))));
    }
    return notes;
  }

  private static String clip(String line) {
    return line.length() > 400 ? line.substring(0, 400) + "..." : line;
  }
}
