package dev.switchboard.server.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Switchboard node in its own JVM process ({@code dev.switchboard.server.Main} on the test classpath), started,
 * killed with {@code -9}, terminated with SIGTERM and restarted on the same ports.
 */
final class NodeProcess implements AutoCloseable {

  /** What Hazelcast needs on Java 17 (the jar's manifest says the same for {@code java -jar}). */
  private static final List<String> JVM_FLAGS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final String name;
  final int httpPort;
  private final Map<String, String> env;
  private final Path logDir;
  private Process process;
  private int starts;
  /** Whether {@code /ready} answered 503 while the last start was under way (joining the cluster). */
  volatile boolean sawNotReady;

  NodeProcess(String name, int httpPort, Map<String, String> env, Path logDir) {
    this.name = name;
    this.httpPort = httpPort;
    this.env = new HashMap<>(env);
    this.env.put("SB_HTTP_PORT", Integer.toString(httpPort));
    this.env.put("SB_HTTP_HOST", "127.0.0.1");
    this.logDir = logDir;
  }

  NodeProcess start() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_FLAGS);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.switchboard.server.Main"));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(key -> key.startsWith("SB_"));
    builder.environment().putAll(env);
    starts++;
    sawNotReady = false;
    builder.redirectErrorStream(true).redirectOutput(logFile().toFile());
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Process started = process;
    Thread watcher = new Thread(() -> {
      while (started.isAlive()) {
        int status = readyStatus();
        if (status == 200) {
          return;
        }
        sawNotReady |= status == 503;
        sleep(50);
      }
    }, name + "-ready-watcher");
    watcher.setDaemon(true);
    watcher.start();
    return this;
  }

  Path logFile() {
    return logDir.resolve(name + "-" + starts + ".log");
  }

  /** Waits until {@code /ready} answers 200. */
  NodeProcess awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + "; see " + logFile());
      }
      if (readyStatus() == 200) {
        return this;
      }
      sleep(100);
    }
    throw new AssertionError(name + " was not ready within " + timeout + "; see " + logFile());
  }

  /** The status of {@code GET /ready}, or -1 when nothing answers. */
  int readyStatus() {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/ready"))
          .timeout(Duration.ofSeconds(2)).build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  void kill9() {
    process.destroyForcibly();
    waitForExit(Duration.ofSeconds(10));
  }

  /** Sends SIGTERM and returns how long the process took to exit. */
  Duration terminate(Duration timeout) {
    long started = System.nanoTime();
    process.destroy();
    if (!waitForExit(timeout)) {
      throw new AssertionError(name + " did not exit within " + timeout + " of SIGTERM; see " + logFile());
    }
    return Duration.ofNanos(System.nanoTime() - started);
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  private boolean waitForExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (isAlive()) {
      kill9();
    }
  }

  @Override
  public String toString() {
    return name + "@" + httpPort;
  }
}
