package dev.switchboard.testsupport;

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
 * One Switchboard node in its own JVM process on 127.0.0.1, started, killed with {@code -9}, terminated with SIGTERM
 * and restarted on the same ports; each start logs to its own file in the log directory.
 */
public final class NodeProcess implements AutoCloseable {

  /** What Hazelcast needs on Java 17 (the jar's manifest says the same for {@code java -jar}). */
  private static final List<String> HAZELCAST_FLAGS = List.of(
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final int httpPort;
  private final Map<String, String> env;
  private final Path logDir;
  private final List<String> command;
  private Process process;
  private int starts;
  /** Whether {@code /ready} answered 503 while the last start was under way (joining the cluster). */
  private volatile boolean sawNotReady;

  /**
   * @param env the node's {@code SB_*} settings (the HTTP host and port are added); none of this JVM's reach it
   * @param command the command line that runs a node: {@link #onThisClassPath} or {@link #fromJar}
   */
  public NodeProcess(String name, int httpPort, Map<String, String> env, Path logDir, List<String> command) {
    this.name = name;
    this.httpPort = httpPort;
    this.env = new HashMap<>(env);
    this.env.put("SB_HTTP_PORT", Integer.toString(httpPort));
    this.env.put("SB_HTTP_HOST", "127.0.0.1");
    this.logDir = logDir;
    this.command = List.copyOf(command);
  }

  /** This JVM's java on this JVM's class path, small and quick to start: a node for tests. */
  public static List<String> onThisClassPath(String mainClass) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    command.addAll(HAZELCAST_FLAGS);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    return command;
  }

  /** The {@code java} on the PATH running the server jar, whose manifest carries what Hazelcast needs. */
  public static List<String> fromJar(String jar, String maxHeap) {
    return List.of("java", "-Xmx" + maxHeap, "-jar", jar);
  }

  public NodeProcess start() {
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

  public String name() {
    return name;
  }

  public int httpPort() {
    return httpPort;
  }

  /** How many times this node was started. */
  public int starts() {
    return starts;
  }

  public long pid() {
    return process.pid();
  }

  /** Whether {@code /ready} answered 503 while the last start was under way (joining the cluster). */
  public boolean sawNotReady() {
    return sawNotReady;
  }

  /** The log of the last start. */
  public Path logFile() {
    return logDir.resolve(name + "-" + starts + ".log");
  }

  /** Waits until {@code /ready} answers 200. */
  public NodeProcess awaitReady(Duration timeout) {
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
  public int readyStatus() {
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

  public void kill9() {
    process.destroyForcibly();
    waitForExit(Duration.ofSeconds(10));
  }

  /** Sends SIGTERM and returns how long the process took to exit; fails if it outlives the timeout. */
  public Duration terminate(Duration timeout) {
    long started = System.nanoTime();
    process.destroy();
    if (!waitForExit(timeout)) {
      throw new AssertionError(name + " did not exit within " + timeout + " of SIGTERM; see " + logFile());
    }
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /** Sends SIGTERM if the node runs, and {@code kill -9} if it outlives the grace. */
  public void stop(Duration grace) {
    if (isAlive()) {
      process.destroy();
      if (!waitForExit(grace)) {
        kill9();
      }
    }
  }

  public boolean isAlive() {
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
