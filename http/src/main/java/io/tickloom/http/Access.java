package io.tickloom.http;

import java.util.Optional;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/** Who a request comes from: its API key when it presents a valid one, and the client the rate limits count it against. */
final class Access {
  private Access() {}

  /** The valid key of {@code X-API-Key} (or, for {@code /ws}, the {@code key} query parameter browsers must use), if any. */
  static Optional<ApiKeys.Key> key(HttpRequest request, ApiKeys keys) {
    Optional<String> presented = request.getHeader("X-API-Key").map(h -> h.value());
    if (presented.isEmpty()) presented = request.getUri().query().get("key");
    return presented.flatMap(keys::find);
  }

  /** The client limits count: the key's id, else the connection's remote address (never a forwarded-for header). */
  static String client(HttpRequest request, Optional<ApiKeys.Key> key) {
    if (key.isPresent()) return "key " + key.get().id();
    return "address " + request.getAttribute(AttributeKeys.remoteAddress)
        .flatMap(a -> a.getAddress())
        .map(java.net.InetAddress::getHostAddress)
        .orElse("unknown");
  }
}
