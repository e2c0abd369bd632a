package io.tickloom.deploy.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Tickloom node as a separate JVM ({@code io.tickloom.deploy.Main run}) at a fixed address: node {@code i} on
 * 127.0.0.i with its own HTTP and Artery ports, which every incarnation keeps, so a restarted node rejoins as the same
 * address. Each incarnation logs (stdout and stderr) to its own file, {@code node<i>-<incarnation>.log}.
 *
 * <p>{@link #kill} is SIGKILL ({@link Process#destroyForcibly()} on Linux: the JVM runs no hook, exit code 137),
 * {@link #stop} SIGTERM ({@link Process#destroy()}: the JVM's shutdown hook runs Pekko's CoordinatedShutdown, the node
 * leaves the cluster and hands its shards over). Not thread-safe: the scenario thread drives it.
 */
public final class NodeProcess {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  /** Fixed identity of a node: its index, address and ports. */
  public record Address(int index, String host, int httpPort, int clusterPort) {
    public URI http() {
      return URI.create("http://" + host + ":" + httpPort);
    }

    public URI ws() {
      return URI.create("ws://" + host + ":" + httpPort + "/ws");
    }

    public String artery() {
      return host + ":" + clusterPort;
    }
  }

  private final Address address;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path logDir;
  private final List<Path> logs = new ArrayList<>();
  private Process process;
  private long startedAt;
  private Integer lastExitCode;

  NodeProcess(Address address, List<String> command, Map<String, String> environment, Path logDir) {
    this.address = address;
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.logDir = logDir;
  }

  /** Starts a new incarnation (the previous one must have exited). */
  public void start() throws IOException {
    if (process != null && process.isAlive()) throw new IllegalStateException("node " + address.index() + " is running");
    Path log = logDir.resolve("node" + address.index() + "-" + (logs.size() + 1) + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(environment);
    logs.add(log);
    startedAt = FaultClock.now();
    lastExitCode = null;
    process = pb.start();
  }

  /** Waits until {@code GET /health/ready} answers 200; fails at once (with the log's path and tail) if the JVM exits. */
  public void awaitReady(Duration within) throws TimeoutException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("node " + address.index() + " exited with " + process.exitValue() + " before it was ready; log "
            + currentLog() + ":\n" + tail(40));
      }
      if (ready()) return;
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("node " + address.index() + " not ready within " + within + "; log " + currentLog() + ":\n" + tail(40));
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TimeoutException("interrupted");
      }
    }
  }

  /** Whether {@code GET /health/ready} answers 200 now. */
  public boolean ready() {
    return answers("/health/ready");
  }

  /** Whether {@code GET path} answers 200 now. */
  public boolean answers(String path) {
    try {
      return get(path, Duration.ofSeconds(3)).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Exit code of the current incarnation once it exited, else null. */
  public Integer exitCode() {
    return process == null || process.isAlive() ? null : process.exitValue();
  }

  /** {@code GET path} with a timeout. */
  public HttpResponse<String> get(String path, Duration timeout) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(address.http().resolve(path)).timeout(timeout).GET().build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** SIGKILL; waits for the exit and answers the exit code (137). */
  public int kill() throws InterruptedException, TimeoutException {
    process.destroyForcibly();
    return awaitExit(Duration.ofSeconds(30));
  }

  /** SIGTERM (CoordinatedShutdown runs); waits up to {@code within} for the exit, then kills, and answers the exit code. */
  public int stop(Duration within) throws InterruptedException, TimeoutException {
    process.destroy();
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      System.out.println("[faults] node " + address.index() + " did not stop within " + within + " after SIGTERM; killing it. Log " + currentLog());
      return kill();
    }
    lastExitCode = process.exitValue();
    return lastExitCode;
  }

  private int awaitExit(Duration within) throws InterruptedException, TimeoutException {
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new TimeoutException("node " + address.index() + " (pid " + process.pid() + ") still alive " + within + " after the signal");
    }
    lastExitCode = process.exitValue();
    return lastExitCode;
  }

  /** Ends this incarnation if it runs, without a shutdown (used when the harness closes). */
  void destroy() {
    if (process == null || !process.isAlive()) return;
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  public Address address() {
    return address;
  }

  public int index() {
    return address.index();
  }

  /** Exit code of the last incarnation that exited (null while running or never started). */
  public Integer lastExitCode() {
    return lastExitCode;
  }

  /** Epoch nanos at which the current incarnation was started. */
  public long startedAt() {
    return startedAt;
  }

  /** Log files, one per incarnation, oldest first. */
  public List<Path> logs() {
    return List.copyOf(logs);
  }

  public Path currentLog() {
    return logs.isEmpty() ? null : logs.get(logs.size() - 1);
  }

  /** The last {@code lines} lines of the current incarnation's log. */
  public String tail(int lines) {
    Path log = currentLog();
    if (log == null) return "";
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | java.io.UncheckedIOException e) {
      return "(log unreadable: " + e + ")";
    }
  }
}
