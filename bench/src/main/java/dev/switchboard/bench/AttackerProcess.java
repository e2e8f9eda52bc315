package dev.switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The abuse benchmark's handle on one {@link AbuseAttacker} process. It runs on the generator's core, which it
 * inherits, at {@code nice 10}: whatever core time the attack wants, the honest clients measuring beside it come
 * first, so their latencies are the node's and not the generator's. (At {@code nice 19} the attacker starved on a
 * machine busy with other work, and opened a third of its sockets.)
 */
final class AttackerProcess implements AutoCloseable {

  /** Options of the benchmark that mean something else to the attacker, or nothing. */
  private static final Set<String> NOT_PASSED = Set.of("attacks", "source", "server-pid", "token", "attack",
      "deadline");

  private final Process process;
  private final PrintWriter in;
  private final BufferedReader out;

  private AttackerProcess(Process process) {
    this.process = process;
    this.in = new PrintWriter(process.getOutputStream(), true);
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream()));
  }

  /** Starts the attacker for {@code attack} and waits until it is armed (its tokens minted). */
  static AttackerProcess arm(BenchOptions options, String attack, int deadlineSec) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    String jar = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
    List<String> command = new ArrayList<>(List.of("nice", "-n", "10", java, "-cp", jar, Bench.class.getName(),
        "abuse-attacker", "--attack", attack, "--source", Integer.toString(options.integer("attacker-source", 2)),
        "--deadline", Integer.toString(deadlineSec)));
    options.raw.forEach((key, value) -> {
      if (!NOT_PASSED.contains(key)) {
        command.add("--" + key);
        command.add(value);
      }
    });
    AttackerProcess attacker = new AttackerProcess(
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    attacker.answer();
    return attacker;
  }

  /** The attack begins now. */
  void go() {
    in.println("go");
  }

  /** Stops the attack and answers what the attacker saw, once its sockets are closed. */
  JsonObject stop() throws IOException {
    in.println("stop");
    return answer();
  }

  private JsonObject answer() throws IOException {
    String line = out.readLine();
    if (line == null) {
      throw new IOException("the attacker process ended early");
    }
    return new JsonObject(line);
  }

  @Override
  public void close() throws InterruptedException {
    in.close();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
