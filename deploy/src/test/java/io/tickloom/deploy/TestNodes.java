package io.tickloom.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickloom.persistence.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;

/** Configuration of a real node for integration tests: a fresh database, free HTTP and Artery ports, no JVM hook. */
final class TestNodes {
  private TestNodes() {}

  /** The test node's settings with {@code extra} HOCON lines layered over them. */
  static Config overrides(String... extra) throws Exception {
    String url = TestDatabase.emptyDatabase();
    var dir = Files.createTempDirectory("tickloom-node-it");
    return ConfigFactory.parseString(String.join("\n", extra)).withFallback(ConfigFactory.parseString(String.join("\n",
        "tickloom.persistence.url = \"" + url + "\"",
        "tickloom.persistence.user = \"" + TestDatabase.user() + "\"",
        "tickloom.persistence.password = \"" + TestDatabase.password() + "\"",
        "tickloom.persistence.data-dir = \"" + dir + "\"",
        "tickloom.http.port = 0",
        "pekko.remote.artery.canonical.port = 0",
        "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off")));
  }

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code GET path} of {@code node}, which must answer {@code expectStatus}; its JSON body. */
  static JsonNode get(TickloomNode node, String path, int expectStatus) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(expectStatus, r.statusCode(), path + " -> " + r.body());
    return JSON.readTree(r.body());
  }
}
