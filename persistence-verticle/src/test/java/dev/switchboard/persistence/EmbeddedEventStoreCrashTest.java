package dev.switchboard.persistence;

import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.ReplayResult;
import dev.switchboard.protocol.StoredEvent;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;

import static dev.switchboard.protocol.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@ExtendWith(VertxExtension.class)
class EmbeddedEventStoreCrashTest {

  private static final int ACKS_BEFORE_KILL = 500;

  @TempDir
  Path dir;

  @Test
  @Timeout(90)
  void keepsEveryAcknowledgedEventThroughKillDashNine(Vertx vertx) throws Exception {
    Path data = dir.resolve("data");
    Path childErrors = dir.resolve("child-stderr.txt");
    Process child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        AppendUntilKilled.class.getName(), data.toString())
        .redirectError(childErrors.toFile())
        .start();
    Map<String, Map<Long, String>> acked = new HashMap<>();
    int acks = 0;
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (acks < ACKS_BEFORE_KILL && (line = lines.readLine()) != null) {
        String[] fields = line.split(" ", 4);
        if (fields.length == 4 && fields[0].equals("ack")) {
          acked.computeIfAbsent(fields[1], s -> new HashMap<>()).put(Long.parseLong(fields[2]), fields[3]);
          acks++;
        }
      }
      // SIGKILL: no shutdown hook, no close, whatever the writer thread is doing.
      child.destroyForcibly();
      child.waitFor();
    } finally {
      child.destroyForcibly();
    }
    assertEquals(ACKS_BEFORE_KILL, acks, () -> "the child stopped early: " + read(childErrors));

    EventStore store = new EmbeddedEventStore(vertx, data);
    result(store.open());
    try {
      for (Map.Entry<String, Map<Long, String>> session : acked.entrySet()) {
        TreeMap<Long, String> stored = readAll(store, session.getKey());
        assertEquals(LongStream.rangeClosed(1, stored.size()).boxed().toList(), List.copyOf(stored.keySet()),
            session.getKey() + " is gapless");
        for (Map.Entry<Long, String> ack : session.getValue().entrySet()) {
          assertEquals(ack.getValue(), stored.get(ack.getKey()),
              "acknowledged " + session.getKey() + "/" + ack.getKey() + " survived");
        }
      }
    } finally {
      result(store.close());
    }
  }

  private static TreeMap<Long, String> readAll(EventStore store, String sessionId) {
    TreeMap<Long, String> events = new TreeMap<>();
    long after = 0;
    while (true) {
      ReplayResult page = result(store.replay(new ReplayRequest(sessionId, after, Long.MAX_VALUE, 1000)));
      assertNull(page.reset());
      if (page.events().isEmpty()) {
        assertEquals(after, page.head());
        return events;
      }
      for (StoredEvent event : page.events()) {
        events.put(event.seq(), event.payload());
      }
      after = page.events().get(page.events().size() - 1).seq();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (Exception e) {
      return "(no stderr: " + e + ")";
    }
  }
}
