package io.tickloom.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.tickloom.protocol.EmptyBarPolicy;
import io.tickloom.protocol.Timeframe;
import io.tickloom.protocol.bars.OfflineBars;
import java.io.BufferedWriter;
import java.io.File;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code tickloom} command line (SPEC §7). */
@Command(name = "tickloom", mixinStandardHelpOptions = true, version = "tickloom 0.1.0",
    description = "Clustered market data and order management on Apache Pekko.",
    footer = {"", "Also: ./tickloom test [MAVEN ARGS] runs the whole test suite (mvn -B verify; handled by the launcher)."},
    subcommands = {Main.Demo.class, Main.Run.class, Main.Import.class, Main.Bars.class, Main.BookCmd.class,
        Main.IndicatorsCmd.class, Main.ReplayCmd.class, Main.ClusterCmd.class, Main.AdminCmd.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    int code = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    if (code != 0) System.exit(code);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(name = "demo", description = "One node with the simulated NSE feed, embedded storage and the dashboard.")
  static final class Demo implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      Config config = NodeConfig.demo(ConfigFactory.parseString("pekko.coordinated-shutdown.exit-jvm = on"));
      TickloomNode node = TickloomNode.start(config);
      String storage = config.hasPath("tickloom.persistence.url") ? "PostgreSQL at " + config.getString("tickloom.persistence.url")
          : "embedded PostgreSQL, data under " + config.getString("tickloom.persistence.data-dir");
      String keys = config.getString("tickloom.http.api-keys").equals(NodeConfig.DEMO_KEYS)
          ? "API key: demo (account DEMO, roles trader+feed+admin; set TICKLOOM_API_KEYS to change)"
          : "API keys from TICKLOOM_API_KEYS";
      System.out.printf("%nTickloom demo is up: dashboard http://localhost:%d/   (REST under /api/v1, WebSocket /ws)%n"
          + "Storage: %s. %s. Stop with Ctrl-C.%n%n", node.httpPort(), storage, keys);
      node.system().getWhenTerminated().toCompletableFuture().join();
      return 0;
    }
  }

  @Command(name = "cluster", description = "A local cluster of N demo nodes in one process: node i on 127.0.0.i, HTTP on port 8080 + i - 1, one embedded PostgreSQL.")
  static final class ClusterCmd implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "3", description = "how many nodes, 1 to 9 (default 3)")
    int nodes;

    @Option(names = "--http-port", defaultValue = "8080", description = "HTTP port of node 1; node i listens on this + i - 1 (default 8080)")
    int httpPort;

    @Option(names = "--cluster-port", defaultValue = "25520", description = "Artery port, the same at each node's address (default 25520)")
    int clusterPort;

    @Override
    public Integer call() throws Exception {
      LocalCluster cluster = LocalCluster.start(nodes, httpPort, clusterPort, ConfigFactory.empty());
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "tickloom-cluster-shutdown"));
      StringBuilder urls = new StringBuilder();
      for (int i = 0; i < cluster.nodes().size(); i++) {
        urls.append(String.format("  node %d: 127.0.0.%d, dashboard http://localhost:%d/%n", i + 1, i + 1, cluster.nodes().get(i).httpPort()));
      }
      System.out.printf("%nTickloom cluster of %d nodes is up (simulated feed on node 1, embedded PostgreSQL under %s):%n%s"
          + "API key: demo. Stop with Ctrl-C.%n%n", nodes, cluster.nodes().get(0).database().isEmbedded()
              ? cluster.nodes().get(0).system().settings().config().getString("tickloom.persistence.data-dir") : "the configured URL",
          urls);
      cluster.nodes().get(0).system().getWhenTerminated().toCompletableFuture().join();
      return 0;
    }
  }

  @Command(name = "run", description = "A production node configured by HOCON and TICKLOOM_* environment variables.")
  static final class Run implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "HOCON file layered over the defaults")
    File config;

    @Override
    public Integer call() throws Exception {
      Config overrides = ConfigFactory.parseString("pekko.coordinated-shutdown.exit-jvm = on");
      if (config != null && !config.isFile()) {
        System.err.println("tickloom run: config file not found: " + config);
        return 2;
      }
      Config c = config == null ? NodeConfig.load(overrides)
          : NodeConfig.load(overrides.withFallback(ConfigFactory.parseFile(config, ConfigParseOptions.defaults().setAllowMissing(false))));
      TickloomNode node = TickloomNode.start(c);
      System.out.printf("Tickloom node up: http://localhost:%d/%n", node.httpPort());
      node.system().getWhenTerminated().toCompletableFuture().join();
      return 0;
    }
  }

  @Command(name = "import", description = "Stream files into a running node's ingest path (dedupe, sequencing, bars, storage), with a progress bar and a summary.")
  static final class Import implements Callable<Integer> {
    @Option(names = "--format", required = true, description = "binance-trades | binance-aggtrades | ticks-csv | kite-instruments | lobster")
    String format;

    @Option(names = "--snapshot", description = "lobster: the matching LOBSTER orderbook file (seeds and resyncs the book)")
    Path snapshot;

    @Option(names = "--date", description = "lobster: the trading day (YYYY-MM-DD; LOBSTER times are seconds after midnight, New York)")
    String date;

    @Option(names = "--symbol", description = "the symbol of a binance-trades/binance-aggtrades/lobster file (e.g. BTCUSDT, AMZN)")
    String symbol;

    @Option(names = "--exchange", defaultValue = "BINANCE", description = "the exchange of --symbol (default BINANCE)")
    String exchange;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "the node (default http://127.0.0.1:8080)")
    String url;

    @Option(names = "--key", description = "API key with role feed (default: $TICKLOOM_API_KEY, else the demo's key 'demo')")
    String key;

    @Parameters(arity = "1..*", paramLabel = "FILE")
    List<Path> files;

    @Override
    public Integer call() {
      try {
        Importer.Format f = Importer.Format.parse(format);
        for (Path p : files) {
          if (!java.nio.file.Files.isRegularFile(p)) {
            System.err.println("tickloom import: no such file: " + p);
            return 2;
          }
        }
        String k = key != null ? key : System.getenv().getOrDefault("TICKLOOM_API_KEY", "demo");
        Importer importer = new Importer(java.net.URI.create(url.endsWith("/") ? url : url + "/"), k, System.err, System.console() != null);
        String sym = symbol == null ? null : symbol.trim().toUpperCase(java.util.Locale.ROOT);
        Importer.Summary s;
        if (f == Importer.Format.LOBSTER) {
          if (files.size() != 1) throw new IllegalArgumentException("lobster takes one message file (and --snapshot its orderbook file)");
          if (snapshot != null && !java.nio.file.Files.isRegularFile(snapshot)) throw new IllegalArgumentException("no such file: " + snapshot);
          java.time.LocalDate day;
          try {
            day = date == null ? null : java.time.LocalDate.parse(date.trim());
          } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("--date: not a date (YYYY-MM-DD): '" + date + "'");
          }
          // LOBSTER is NASDAQ data: the exchange defaults to NASDAQ rather than the BINANCE default of the trade formats
          String venue = exchange.equalsIgnoreCase("BINANCE") ? "NASDAQ" : exchange;
          s = importer.runLobster(files.get(0), snapshot, sym, io.tickloom.protocol.Exchange.parse(venue), day);
        } else {
          s = importer.run(f, files, sym, io.tickloom.protocol.Exchange.parse(exchange));
        }
        System.out.print(s.text(files.size() == 1 ? files.get(0).getFileName().toString() : files.size() + " files"));
        return s.rejected > 0 ? 1 : 0;
      } catch (IllegalArgumentException | Importer.ImportFailure e) {
        System.err.println("tickloom import: " + e.getMessage());
        return 2;
      } catch (java.io.IOException e) {
        System.err.println("tickloom import: " + e);
        return 2;
      }
    }
  }

  @Command(name = "bars", description = "Offline: print bars built from a file by the live bar code, as CSV start,open,high,low,close,volume,trades.")
  static final class Bars implements Callable<Integer> {
    @Option(names = "--format", required = true, description = "binance-trades | ticks-csv")
    String format;

    @Option(names = "--tf", defaultValue = "1m", description = "timeframe: 1s 5s 15s 1m 3m 5m 15m 30m 1h 1d (default 1m)")
    String tf;

    @Option(names = "--empty", description = "empty intervals: skip | carry (default: the venue's policy, carry for binance-trades)")
    String empty;

    @Parameters(arity = "1..*", paramLabel = "FILE")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
      return offline("bars", out -> {
        OfflineBars.Format f = OfflineBars.Format.parse(format);
        EmptyBarPolicy policy = empty == null ? f.defaultPolicy() : EmptyBarPolicy.parse(empty);
        return OfflineBars.run(f, Timeframe.parse(tf), policy, files, out);
      });
    }
  }

  @Command(name = "book", description = "Offline: the visible book after every message of a LOBSTER message file, in LOBSTER's orderbook-file layout.")
  static final class BookCmd implements Callable<Integer> {
    @Option(names = "--format", required = true, description = "lobster")
    String format;

    @Option(names = "--levels", required = true, description = "N: levels per side printed (askPrice1,askSize1,bidPrice1,bidSize1,...)")
    int levels;

    @Option(names = "--snapshot", paramLabel = "ORDERBOOK.csv",
        description = "the matching LOBSTER orderbook file: row 1 seeds the book (output starts with it), later rows supply the depth a level-N file never shows")
    Path snapshot;

    @Parameters(arity = "1", paramLabel = "MESSAGES.csv")
    Path messages;

    @Override
    public Integer call() throws Exception {
      return offline("book", out -> io.tickloom.protocol.book.OfflineBook.run(
          io.tickloom.protocol.book.OfflineBook.Format.parse(format), levels, messages, snapshot, out));
    }
  }

  @Command(name = "indicators", description = "Offline: indicator values per final bar, from the live indicator code, as CSV start,<output names>.")
  static final class IndicatorsCmd implements Callable<Integer> {
    @Option(names = "--format", required = true, description = "binance-trades | ticks-csv | bars-csv (start,open,high,low,close,volume)")
    String format;

    @Option(names = "--tf", defaultValue = "1m", description = "timeframe of the bars built from ticks (ignored for bars-csv; default 1m)")
    String tf;

    @Option(names = "--names", required = true, split = ",", description = "e.g. RSI_14,EMA_9,MACD_12_26_9,BB_20_2,ATR_14,SMA_20,VWAP")
    List<String> names;

    @Parameters(arity = "1..*", paramLabel = "FILE")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
      return offline("indicators", out -> io.tickloom.protocol.indicators.OfflineIndicators.run(
          io.tickloom.protocol.indicators.OfflineIndicators.Format.parse(format), Timeframe.parse(tf), names, files, out));
    }
  }

  @Command(name = "replay", description = "Start a replay of stored ticks on a running node and print its final bars as JSON lines (replay_bar frames) until it ends.")
  static final class ReplayCmd implements Callable<Integer> {
    @Option(names = "--tokens", required = true, split = ",", description = "instrument tokens, comma separated")
    List<Long> tokens;

    @Option(names = "--from", required = true, description = "start (inclusive): ISO-8601 (2026-01-15T03:45:00Z) or epoch milliseconds")
    String from;

    @Option(names = "--to", description = "end (exclusive), as --from (default: now)")
    String to;

    @Option(names = "--speed", defaultValue = "max", description = "1 = real time, n = n times real time, max = as fast as possible (default max)")
    String speed;

    @Option(names = "--tf", defaultValue = "1m", description = "timeframe(s) of the bars printed: 1s 5s 15s 1m 3m 5m 15m 30m 1h 1d, comma list (default 1m)")
    String tf;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "the node (default http://127.0.0.1:8080)")
    String url;

    @Option(names = "--key", description = "API key the replay belongs to (default: $TICKLOOM_API_KEY, else the demo's key 'demo')")
    String key;

    @Override
    public Integer call() throws Exception {
      java.io.PrintStream out = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
      try {
        String k = key != null ? key : System.getenv().getOrDefault("TICKLOOM_API_KEY", "demo");
        return new ReplayClient(java.net.URI.create(url.endsWith("/") ? url : url + "/"), k, out, System.err).run(tokens, from, to, speed, tf);
      } catch (ReplayClient.ReplayFailure e) {
        System.err.println("tickloom replay: " + e.getMessage());
        return 2;
      } finally {
        out.flush();
      }
    }
  }

  @Command(name = "admin", description = "Operator commands against a running node (an API key with the role admin).",
      subcommands = {AdminCmd.DeadLetters.class, AdminCmd.KillSwitch.class})
  static final class AdminCmd implements Runnable {
    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", scope = CommandLine.ScopeType.INHERIT,
        description = "the node (default http://127.0.0.1:8080)")
    String url;

    @Option(names = "--key", scope = CommandLine.ScopeType.INHERIT,
        description = "API key with the role admin (default: $TICKLOOM_API_KEY, else the demo's key 'demo')")
    String key;

    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(System.out);
    }

    AdminClient client() {
      String k = key != null ? key : System.getenv().getOrDefault("TICKLOOM_API_KEY", "demo");
      java.io.PrintStream out = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
      return new AdminClient(java.net.URI.create(url.endsWith("/") ? url : url + "/"), k, out, System.err);
    }

    static int run(String command, AdminCall call) {
      try {
        return call.run();
      } catch (AdminClient.AdminFailure e) {
        System.err.println("tickloom admin " + command + ": " + e.getMessage());
        return 2;
      }
    }

    @FunctionalInterface
    interface AdminCall {
      int run() throws AdminClient.AdminFailure;
    }

    @Command(name = "dead-letters", description = "List the events the read side could not apply (open ones; --all: resolved too); --retry applies the open ones again first. Exit 1 if some stay open after --retry.")
    static final class DeadLetters implements Callable<Integer> {
      @picocli.CommandLine.ParentCommand
      AdminCmd parent;

      @Option(names = "--all", description = "also the resolved ones")
      boolean all;

      @Option(names = "--retry", description = "apply the open ones again (oldest first), then list what stays open")
      boolean retry;

      @Override
      public Integer call() {
        return run("dead-letters", () -> parent.client().deadLetters(all, retry));
      }
    }

    @Command(name = "kill-switch", description = "Show the kill switches; --halt throws one (global, or --account's), --release lifts it. A halted scope accepts no new order; cancels still work.")
    static final class KillSwitch implements Callable<Integer> {
      @picocli.CommandLine.ParentCommand
      AdminCmd parent;

      @picocli.CommandLine.ArgGroup(exclusive = true)
      Action action;

      static final class Action {
        @Option(names = "--halt", required = true, description = "throw the switch")
        boolean halt;

        @Option(names = "--release", required = true, description = "lift the switch")
        boolean release;
      }

      @Option(names = "--account", description = "the account (default: the global switch)")
      String account;

      @Option(names = "--reason", description = "why, recorded with the switch")
      String reason;

      @Override
      public Integer call() {
        Boolean halted = action == null ? null : action.halt;
        return run("kill-switch", () -> parent.client().killSwitch(account, halted, reason));
      }
    }
  }

  /** An offline tool's body writing CSV to stdout.  */
  @FunctionalInterface
  interface OfflineBody {
    Object run(BufferedWriter out) throws java.io.IOException;
  }

  /**
   * Runs an offline tool: CSV to stdout (buffered), its summary to stderr, exit 0; a missing file or a malformed row
   * (the message names file and line) to stderr with exit 2, after what was written so far is flushed.
   */
  static int offline(String command, OfflineBody body) throws java.io.IOException {
    BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
    try {
      Object summary = body.run(out);
      out.flush();
      System.err.println(summary);
      return 0;
    } catch (java.nio.file.NoSuchFileException e) {
      out.flush();
      System.err.println("tickloom " + command + ": no such file: " + e.getFile());
      return 2;
    } catch (RuntimeException | java.io.IOException e) {
      out.flush();
      System.err.println("tickloom " + command + ": " + e.getMessage());
      return 2;
    }
  }
}
