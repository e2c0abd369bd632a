package io.tickloom.deploy;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP/1.1 over a plain socket, for what {@code java.net.http} will not do: announce a body it does not send, keep
 * streaming a body while reading the answer, or send a WebSocket upgrade and read a refusal's headers and body. A reader
 * thread reads the answer as soon as it comes, so an early answer is seen even while the body is still being written
 * (and before a reset from the server could discard it), and {@link Answer#bodyBytesSentBeforeAnswer} says how much of
 * the body had been written by then.
 */
final class RawHttp {
  private RawHttp() {}

  /** A response: status, headers (names in lower case), body, and how much of the request body was written before it. */
  record Answer(int status, Map<String, String> headers, String body, long bodyBytesSentBeforeAnswer, long bodyBytesSent, long millis) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /**
   * POST {@code path} declaring {@code Content-Length: declared} but writing at most the first {@code sendAtMost} bytes
   * ({@code filler} repeated), and the answer (waited for at most {@code timeoutMillis}).
   */
  static Answer postDeclared(int port, String path, Map<String, String> headers, long declared, long sendAtMost, byte[] filler,
      long timeoutMillis) throws Exception {
    return post(port, path, headers, "Content-Length: " + declared, timeoutMillis, (out, sent, answered) -> {
      while (sent.get() < sendAtMost && !answered.isDone()) {
        int n = (int) Math.min(filler.length, sendAtMost - sent.get());
        out.write(filler, 0, n);
        sent.addAndGet(n);
      }
    });
  }

  /**
   * POST {@code path} with {@code Transfer-Encoding: chunked}, writing {@code filler} as chunks until the answer comes or
   * {@code upTo} bytes were written (then the last chunk), and the answer (waited for at most {@code timeoutMillis}).
   */
  static Answer postChunked(int port, String path, Map<String, String> headers, long upTo, byte[] filler, long timeoutMillis)
      throws Exception {
    byte[] size = (Integer.toHexString(filler.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
    return post(port, path, headers, "Transfer-Encoding: chunked", timeoutMillis, (out, sent, answered) -> {
      while (sent.get() < upTo && !answered.isDone()) {
        out.write(size);
        out.write(filler);
        out.write(crlf);
        sent.addAndGet(filler.length);
      }
      if (!answered.isDone()) out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    });
  }

  /** Writes a request body; {@code sent} counts its bytes, {@code answered} completes when the answer's status line came. */
  @FunctionalInterface
  private interface BodyWriter {
    void write(OutputStream out, AtomicLong sent, CompletableFuture<Answer> answered) throws IOException;
  }

  /**
   * Sends the head, then the body from a writer thread while this thread waits for the answer; closing the socket at the
   * end unblocks a writer the server no longer reads from.
   */
  private static Answer post(int port, String path, Map<String, String> headers, String framing, long timeoutMillis, BodyWriter body)
      throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout((int) timeoutMillis);
      AtomicLong sent = new AtomicLong();
      long t0 = System.nanoTime();
      OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
      out.write(head("POST", path, headers, framing));
      out.flush();
      CompletableFuture<Answer> answer = readAsync(new BufferedInputStream(s.getInputStream()), sent, t0);
      Thread writer = new Thread(() -> {
        try {
          body.write(out, sent, answer);
          out.flush();
        } catch (IOException e) {
          // the server answered and closed, or the socket was closed below: the answer tells
        }
      }, "raw-http-writer");
      writer.setDaemon(true);
      writer.start();
      Answer a = answer.get(timeoutMillis, TimeUnit.MILLISECONDS);
      s.close();
      writer.join(5_000);
      return new Answer(a.status(), a.headers(), a.body(), a.bodyBytesSentBeforeAnswer(), sent.get(), a.millis());
    }
  }

  /** A WebSocket upgrade request for {@code path}; the answer (101 or a refusal) without reading frames. */
  static Answer upgrade(int port, String path, Map<String, String> headers, long timeoutMillis) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout((int) timeoutMillis);
      long t0 = System.nanoTime();
      OutputStream out = s.getOutputStream();
      out.write(head("GET", path, headers, "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="));
      out.flush();
      return read(new BufferedInputStream(s.getInputStream()), new AtomicLong(), t0, true);
    }
  }

  private static byte[] head(String method, String path, Map<String, String> headers, String framing) {
    StringBuilder b = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    headers.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
    b.append(framing).append("\r\n\r\n");
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static CompletableFuture<Answer> readAsync(InputStream in, AtomicLong sent, long t0) {
    CompletableFuture<Answer> f = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try {
        f.complete(read(in, sent, t0, false));
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    }, "raw-http-reader");
    reader.setDaemon(true);
    reader.start();
    return f;
  }

  /** Reads a status line, headers and a body of Content-Length bytes (or, without one, until the server closes). */
  private static Answer read(InputStream in, AtomicLong sent, long t0, boolean headOnlyWhenUpgraded) throws IOException {
    String status = line(in);
    long sentAtAnswer = sent.get();
    long millis = (System.nanoTime() - t0) / 1_000_000;
    if (status == null || !status.startsWith("HTTP/1.1 ")) throw new IOException("not an HTTP answer: " + status);
    int code = Integer.parseInt(status.substring(9, 12));
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
    }
    if (code == 101 && headOnlyWhenUpgraded) return new Answer(code, headers, "", sentAtAnswer, sent.get(), millis);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String length = headers.get("content-length");
    if (length != null) {
      long n = Long.parseLong(length);
      for (long i = 0; i < n; i++) {
        int c = in.read();
        if (c < 0) break;
        body.write(c);
      }
    } else {
      try {
        for (int c = in.read(); c >= 0; c = in.read()) body.write(c);
      } catch (SocketTimeoutException | java.net.SocketException e) {
        // the server kept the connection open or reset it: what was read is the body
      }
    }
    return new Answer(code, headers, body.toString(StandardCharsets.UTF_8), sentAtAnswer, sent.get(), millis);
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c >= 0; c = in.read()) {
      if (c == '\n') return b.toString();
      if (c != '\r') b.append((char) c);
    }
    return b.length() == 0 ? null : b.toString();
  }
}
