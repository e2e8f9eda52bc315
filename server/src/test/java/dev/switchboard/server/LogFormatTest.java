package dev.switchboard.server;

import dev.switchboard.testsupport.NodeProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code SB_LOG_FORMAT} is applied before the process's first line: a node started by {@code Main} with
 * {@code "SB_LOG_FORMAT": "json"} in its config file writes nothing but JSON lines to its console, from its start to
 * the end of its drain.
 */
class LogFormatTest {

  @Test
  void aNodeToldToLogJsonInItsConfigFileWritesOnlyJsonLines() throws IOException {
    Path dir = Files.createTempDirectory("switchboard-log-format");
    Path config = Files.writeString(dir.resolve("config.json"), "{\"SB_LOG_FORMAT\": \"json\"}");
    List<String> command = new ArrayList<>(NodeProcess.onThisClassPath("dev.switchboard.server.Main"));
    command.addAll(List.of("--config", config.toString()));
    Map<String, String> env = Map.of("SB_JWT_SECRET", TestTokens.SECRET, "SB_DATA_DIR", dir.resolve("data").toString());
    try (NodeProcess node = new NodeProcess("json-node", freePort(), env, dir, command)) {
      node.start().awaitReady(Duration.ofSeconds(60));
      node.terminate(Duration.ofSeconds(30));
      List<String> lines = Files.readAllLines(node.logFile());
      assertFalse(lines.isEmpty(), "the node logged nothing");
      List<LoggedLine> read = lines.stream().map(line -> LoggedLine.parse(LogFormat.JSON, line)).toList();
      assertTrue(read.stream().anyMatch(line -> line.message().startsWith("switchboard ready")), lines.toString());
      assertTrue(read.stream().anyMatch(line -> line.message().startsWith("drained and left")), lines.toString());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
