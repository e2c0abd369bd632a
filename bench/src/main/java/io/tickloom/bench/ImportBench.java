package io.tickloom.bench;

import com.typesafe.config.ConfigFactory;
import io.tickloom.deploy.Main;
import io.tickloom.deploy.NodeConfig;
import io.tickloom.deploy.TickloomNode;
import io.tickloom.persistence.Database;
import io.tickloom.protocol.Fixed;
import io.tickloom.protocol.Instrument;
import io.tickloom.protocol.Tick;
import io.tickloom.protocol.format.Scales;
import io.tickloom.protocol.format.TicksCsv;
import java.io.BufferedWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Import throughput of a large CSV (issue 3): {@code tickloom import --format ticks-csv} (the real command, in this
 * process) streaming a generated file into a running node over HTTP, through the ingest path (entities, bars, COPY).
 * In the same run: the parse-only rate of the same file (the reader's limit) and a bare COPY of the same rows (the
 * database's limit); the ratio is against the slower.
 *
 * <p>Usage: {@code java -cp ... io.tickloom.bench.ImportBench [rows=1000000] [instruments=100]}.
 */
public final class ImportBench {
  private static final long SEC = 1_000_000_000L;

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int instruments = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Path dir = Files.createTempDirectory("tickloom-import-bench");
    Path file = dir.resolve("ticks.csv");
    List<Instrument> universe = IngestDriver.universe(instruments);
    long start = (System.currentTimeMillis() / 86_400_000L) * 86_400L * SEC - 86_400L * SEC + 4 * 3600 * SEC; // yesterday 04:00 UTC
    List<Tick> ticks = IngestDriver.rows(universe, rows, start, 1);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("token,exchangeTs,price,qty,seq\n");
      for (Tick t : ticks) {
        w.write(t.token() + "," + t.exchangeTs() + "," + Fixed.formatPlain(t.price(), 2) + "," + t.qty() + "," + t.seq() + "\n");
      }
    }
    System.out.printf("ImportBench: %,d rows (%,d bytes), %d instruments, %d cores%n", rows, Files.size(file), instruments,
        Runtime.getRuntime().availableProcessors());
    TickloomNode node = TickloomNode.start(NodeConfig.load(ConfigFactory.parseString(String.join("\n",
        "tickloom.persistence.data-dir = \"" + dir.resolve("data") + "\"",
        "tickloom.http.port = 0",
        "tickloom.http.interface = \"127.0.0.1\"",
        "tickloom.http.api-keys = \"benchkey:BENCH:feed\"",
        "tickloom.node.feeds = \"\"",
        "pekko.loglevel = WARNING",
        "pekko.remote.artery.canonical.port = 0",
        "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off"))));
    try {
      node.market().registerInstruments(universe);
      double parse = parseOnly(file);
      var ingest = node.market().settings().ingest();
      double copy = IngestDriver.bareCopy(node.database(), ticks, ingest.maxBatch(), ingest.storeBatch(), ingest.storeParallelism());
      long t0 = System.nanoTime();
      int code = new picocli.CommandLine(new Main()).execute("import", "--format", "ticks-csv", "--url", "http://127.0.0.1:" + node.httpPort(),
          "--key", "benchkey", file.toString());
      double secs = (System.nanoTime() - t0) / 1e9;
      long stored = IngestDriver.storedBetween(node.database(), start, start + 3600 * SEC);
      if (code != 0 || stored != rows) throw new IllegalStateException("import exit " + code + ", stored " + stored + " of " + rows);
      double rate = rows / secs;
      System.out.printf("%-55s %,12.0f rows/s   (%,d rows in %.2f s)%n", "tickloom import (HTTP, entities, COPY)", rate, rows, secs);
      System.out.printf("RESULT import %.0f rows/s | parse only %.0f rows/s | bare COPY %.0f rows/s | import / min(parse, COPY) = %.2f%n",
          rate, parse, copy, rate / Math.min(parse, copy));
    } finally {
      node.close();
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.exit(0);
  }

  private static double parseOnly(Path file) throws Exception {
    long t0 = System.nanoTime();
    long n = 0;
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8); TicksCsv csv = new TicksCsv(r, "ticks.csv", new Scales(2, 0))) {
      for (Tick t = csv.next(); t != null; t = csv.next()) n++;
    }
    double rate = n / ((System.nanoTime() - t0) / 1e9);
    System.out.printf("%-55s %,12.0f rows/s%n", "parse only (TicksCsv), same file", rate);
    return rate;
  }
}
