package io.tickloom.deploy.faults;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

/**
 * The raw records of a run, written beside its logs so a figure can be checked or recomputed afterwards: every tick
 * frame ({@code ws-ticks.csv}), the other notable frames ({@code ws-frames.txt}), every order attempt
 * ({@code orders.csv}), the feed node's ingest counters per second ({@code ingest-samples.csv}) and each instrument's
 * shard decisions ({@code placement.csv}). Times are epoch nanos and, in {@code *_rel_ms} columns, ms relative to the
 * fault.
 */
final class Artifacts {
  private Artifacts() {}

  static void write(FaultRun run) throws IOException {
    long f = run.faultAt;
    try (BufferedWriter w = Files.newBufferedWriter(run.dir.resolve("ws-ticks.csv"), StandardCharsets.UTF_8)) {
      w.write("token,symbol,seq,dkey,exchange_ts,arrival,arrival_rel_ms,latency_ms,feed,status\n");
      for (WsRecorder.TickFrame t : run.ws.ticks()) {
        w.write(t.token() + "," + run.symbols.get(t.token()) + "," + t.seq() + "," + t.dkey() + "," + t.exchangeTs() + "," + t.arrival() + ","
            + (t.arrival() - f) / 1_000_000 + "," + t.latency() / 1_000_000 + "," + t.feed() + "," + t.status() + "\n");
      }
    }
    try (BufferedWriter w = Files.newBufferedWriter(run.dir.resolve("ws-frames.txt"), StandardCharsets.UTF_8)) {
      w.write("frame counts by type: " + run.ws.counts() + "\n");
      for (WsRecorder.RawFrame r : run.ws.droppedNotices()) w.write(frame(r, f));
      for (WsRecorder.RawFrame r : run.ws.errorFrames()) w.write(frame(r, f));
      for (WsRecorder.RawFrame r : run.ws.unknownFrames()) w.write(frame(r, f));
      for (WsRecorder.Closure c : run.ws.closures()) w.write("closure connection " + c.connection() + " at " + (c.at() - f) / 1_000_000 + " ms: " + c.why() + "\n");
    }
    try (BufferedWriter w = Files.newBufferedWriter(run.dir.resolve("orders.csv"), StandardCharsets.UTF_8)) {
      w.write("client_order_id,order_id,token,side,attempt,node,sent_rel_ms,latency_ms,status,body\n");
      for (OrderLoop.Order o : run.orders.orders()) {
        for (OrderLoop.Attempt a : o.attempts()) {
          w.write(o.clientOrderId() + "," + o.orderId() + "," + o.token() + "," + o.side() + "," + a.n() + "," + a.node() + ","
              + (a.sentAt() - f) / 1_000_000 + "," + a.latencyNanos() / 1_000_000 + "," + a.status() + "," + csv(a.body()) + "\n");
        }
      }
    }
    try (BufferedWriter w = Files.newBufferedWriter(run.dir.resolve("ingest-samples.csv"), StandardCharsets.UTF_8)) {
      w.write("at,rel_ms,received,stored,undelivered\n");
      List<FaultRun.Sample> samples;
      synchronized (run.samples) {
        samples = List.copyOf(run.samples);
      }
      for (FaultRun.Sample s : samples) {
        w.write(s.at() + "," + (s.at() - f) / 1_000_000 + "," + s.received() + "," + s.stored() + "," + s.undelivered() + "\n");
      }
    }
    ShardPlacement p = ShardPlacement.read(run.cluster.nodes());
    try (BufferedWriter w = Files.newBufferedWriter(run.dir.resolve("placement.csv"), StandardCharsets.UTF_8)) {
      w.write("token,symbol,shard,host_at_fault,decisions(rel_ms:host)\n");
      for (long token : run.symbols.keySet()) {
        StringBuilder h = new StringBuilder();
        for (ShardPlacement.Move m : p.history(token)) h.append(' ').append((m.at() - f) / 1_000_000).append(':').append(m.host());
        w.write(token + "," + run.symbols.get(token) + "," + p.shardOf(token) + "," + p.hostAt(token, f) + "," + h.toString().trim() + "\n");
      }
    }
  }

  private static String frame(WsRecorder.RawFrame r, long f) {
    return r.type() + " connection " + r.connection() + " at " + (r.arrival() - f) / 1_000_000 + " ms: " + r.text() + "\n";
  }

  private static String csv(String s) {
    if (s == null) return "";
    return "\"" + s.replace("\"", "\"\"").replace("\n", " ") + "\"";
  }
}
