package dev.switchboard.server;

import dev.switchboard.testsupport.NodeProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --exit-when-ready}: the training run of a class data sharing archive (README, Starting faster) starts a node,
 * drains it as soon as it is ready and exits 0, so that the JVM writes the archive on its way out. (The archive itself
 * needs the jar, which this phase has not built yet: {@code bench/startup.sh} makes one and measures it.)
 */
class ExitWhenReadyTest {

  @Test
  void aTrainingRunStopsByItselfOnceReadyDrainedAndWithExitCode0() throws Exception {
    Path dir = Files.createTempDirectory("switchboard-exit-when-ready");
    Path log = dir.resolve("node.log");
    List<String> command = new ArrayList<>(NodeProcess.onThisClassPath("dev.switchboard.server.Main"));
    command.add(Main.EXIT_WHEN_READY);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(java.util.Map.of("SB_JWT_SECRET", TestTokens.SECRET,
        "SB_DATA_DIR", dir.resolve("data").toString(), "SB_HTTP_HOST", "127.0.0.1",
        "SB_HTTP_PORT", Integer.toString(freePort())));
    Process node = builder.start();
    try {
      assertTrue(node.waitFor(120, TimeUnit.SECONDS), "still running: " + Files.readString(log));
      String output = Files.readString(log);
      assertEquals(0, node.exitValue(), output);
      assertTrue(output.contains("switchboard ready"), output);
      assertTrue(output.contains("drained and left"), output);
    } finally {
      node.destroyForcibly();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
