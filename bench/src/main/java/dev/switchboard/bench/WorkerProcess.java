package dev.switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running one of the benchmark's worker modes ({@code idle-worker}, {@code crowd-worker}) from this jar,
 * so that its connections count against its own open-file limit: steered by lines on its stdin, it answers each
 * with one JSON line; its stderr goes to ours.
 */
final class WorkerProcess {

  private final Process process;
  private final PrintWriter in;
  private final BufferedReader out;

  /** Starts {@code mode} with {@code arguments} ({@code --name value} pairs). */
  WorkerProcess(String mode, List<String> arguments) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    String jar = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xss512k", "-cp", jar, Bench.class.getName(), mode));
    command.addAll(arguments);
    process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    in = new PrintWriter(process.getOutputStream(), true);
    out = new BufferedReader(new InputStreamReader(process.getInputStream()));
  }

  void send(String line) {
    in.println(line);
  }

  /** The worker's next answer. */
  JsonObject answer() {
    try {
      String line = out.readLine();
      if (line == null) {
        throw new IllegalStateException("the worker ended");
      }
      return new JsonObject(line);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  JsonObject command(String line) {
    send(line);
    return answer();
  }

  /** Tells the worker to exit and waits for it ({@code seconds} at most), then makes sure it is gone. */
  void exit(int seconds) {
    send("exit");
    try {
      process.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroy();
  }
}
