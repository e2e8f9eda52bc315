package dev.switchboard.client;

import dev.switchboard.testsupport.NodeProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Real Switchboard nodes for the tests: the freshly built server jar in its own JVM, on loopback, with the embedded
 * store in a temporary directory and a fixed HS256 secret (so tokens stay valid across a restart). One shared node
 * serves every test that does not restart it.
 */
final class TestNode {

  static final String SECRET = "java-client-test-secret-0123456789abcdef-0123";
  private static final Duration START = Duration.ofSeconds(60);
  private static NodeProcess shared;

  private TestNode() {
  }

  /** The node shared by the tests of this JVM, started on first use and killed when the JVM exits. */
  static synchronized NodeProcess shared() {
    if (shared == null) {
      shared = start("shared");
      NodeProcess node = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(node::close));
    }
    return shared;
  }

  /** A node of its own (for tests that restart it); the caller closes it. */
  static NodeProcess start(String name) {
    try {
      Path dir = Files.createTempDirectory("sb-java-client-" + name);
      String jar = System.getProperty("switchboard.server.jar", "../../server/target/switchboard.jar");
      NodeProcess node = new NodeProcess(name, freePort(), Map.of(
          "SB_DATA_DIR", dir.resolve("data").toString(),
          "SB_JWT_SECRET", SECRET,
          "SB_DEV_TOKENS", "true",
          "SB_PUBLISH_RATE", "0",
          "SB_DRAIN_GRACE", "5s"), dir, NodeProcess.fromJar(jar, "256m"));
      return node.start().awaitReady(START);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String url(NodeProcess node) {
    return url(node.httpPort());
  }

  static String url(int port) {
    return "http://127.0.0.1:" + port;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
