package dev.switchboard.protocol;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A Redis for tests: the machine's at 127.0.0.1:6379 when it answers, else an embedded Redis started once per JVM
 * on a free port. Tests that share it use their own key prefixes.
 */
public final class TestRedis {

  private static String url;

  private TestRedis() {
  }

  /** A {@code redis://} URL of a running Redis. */
  public static synchronized String url() {
    if (url == null) {
      if (reachable(6379)) {
        url = "redis://127.0.0.1:6379";
      } else {
        int port = freePort();
        RedisServer server = RedisServer.builder().port(port).bind("127.0.0.1").build();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        url = "redis://127.0.0.1:" + port;
      }
    }
    return url;
  }

  static boolean reachable(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
