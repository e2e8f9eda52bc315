package dev.switchboard.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.SharedConfig;
import dev.switchboard.realtime.Readiness.ProbeAnswer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The probes while a clustered node joins, before Vert.x (and so the node's own HTTP server) exists: {@code /health}
 * answers 200, so a slow join is not mistaken for a dead process, and {@code /ready} answers 503, with the bodies of
 * {@link ProbeAnswer}. Closed just before the roles are deployed on the same address.
 */
final class JoiningProbe {

  private static final Logger LOG = LoggerFactory.getLogger(JoiningProbe.class);
  /** Connections the JDK server queues before accepting them: probes come one at a time. */
  private static final int BACKLOG = 16;
  private static final ProbeAnswer JOINING = ProbeAnswer.error(ErrorCode.UNAVAILABLE, "joining the cluster");

  private final HttpServer server;

  private JoiningProbe(HttpServer server) {
    this.server = server;
  }

  /**
   * Listens on {@code SB_HTTP_HOST:SB_HTTP_PORT}; null when the port is 0 (no port to hold for the node) or cannot be
   * taken (the node will say so later).
   */
  static JoiningProbe open(SharedConfig shared) {
    if (shared.httpPort() == 0) {
      return null;
    }
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(shared.httpHost(), shared.httpPort()), BACKLOG);
      server.createContext("/", JoiningProbe::answer);
      server.start();
      return new JoiningProbe(server);
    } catch (IOException e) {
      LOG.debug("no probe while joining: {}", e.toString());
      return null;
    }
  }

  private static void answer(HttpExchange exchange) throws IOException {
    ProbeAnswer answer = exchange.getRequestURI().getPath().equals("/health") ? ProbeAnswer.HEALTHY : JOINING;
    byte[] bytes = answer.body().encode().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(answer.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  void close() {
    server.stop(0);
  }
}
