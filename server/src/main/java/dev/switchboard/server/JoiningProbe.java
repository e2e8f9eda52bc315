package dev.switchboard.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.protocol.ConfigReader;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The probes while a clustered node joins, before Vert.x (and so the node's own HTTP server) exists: {@code /health}
 * answers 200, so a slow join is not mistaken for a dead process, and {@code /ready} answers 503. Closed just before
 * the roles are deployed on the same port.
 */
final class JoiningProbe {

  private static final Logger LOG = LoggerFactory.getLogger(JoiningProbe.class);

  private final HttpServer server;

  private JoiningProbe(HttpServer server) {
    this.server = server;
  }

  /** Listens on {@code SB_HTTP_HOST:SB_HTTP_PORT}; null when the port cannot be taken (the node will say so later). */
  static JoiningProbe open(JsonObject config) {
    ConfigReader reader = new ConfigReader(config);
    int port = reader.integer("SB_HTTP_PORT", 8080);
    if (port == 0) {
      return null;
    }
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(reader.string("SB_HTTP_HOST", "0.0.0.0"), port), 16);
      server.createContext("/", JoiningProbe::answer);
      server.start();
      return new JoiningProbe(server);
    } catch (IOException e) {
      LOG.debug("no probe while joining: {}", e.toString());
      return null;
    }
  }

  private static void answer(HttpExchange exchange) throws IOException {
    boolean health = exchange.getRequestURI().getPath().equals("/health");
    JsonObject body = health ? new JsonObject().put("status", "ok")
        : new JsonObject().put("error", new JsonObject().put("code", "unavailable")
            .put("message", "joining the cluster"));
    byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(health ? 200 : 503, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  void close() {
    server.stop(0);
  }
}
