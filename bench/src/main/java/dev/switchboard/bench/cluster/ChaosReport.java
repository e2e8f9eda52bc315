package dev.switchboard.bench.cluster;

import dev.switchboard.testsupport.FailoverSubscriber;
import dev.switchboard.testsupport.ResumeTimes;
import dev.switchboard.testsupport.StoredLog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The chaos run's verdict: the stored logs against the acknowledgements, and the subscribers' counts, written to
 * chaos.json and chaos.md in the output directory, the JSON also on stdout and the table on stderr.
 */
final class ChaosReport {

  private static final List<String> FIGURES = List.of("minutes", "nodes", "kills", "subscribers", "sessions",
      "ratePerSec", "acknowledged", "stored", "acknowledgedLost", "storedTwice", "logGaps", "publishAttemptsFailed",
      "deliveries", "subscriberDuplicates", "subscriberGaps", "subscribersBehindAtEnd", "reconnects", "resumeP50Ms",
      "resumeP95Ms", "resumeMaxMs");

  private final List<ChaosNode> nodes;
  private final JsonObject result;
  private final boolean passed;

  /**
   * @param stored each session's log as read back at the end
   * @param current whether every subscriber reached its session's head in time
   * @param events what was done to the nodes, as it happened
   */
  ChaosReport(ChaosSettings settings, List<ChaosNode> nodes, List<FailoverSubscriber> subscribers,
              Map<String, StoredLog> stored, PacedPublisher publisher, int kills, boolean current,
              List<String> events) {
    this.nodes = nodes;
    long acknowledged = 0;
    long lost = 0;
    long storedCount = 0;
    long storedTwice = 0;
    long logGaps = 0;
    for (Map.Entry<String, StoredLog> session : stored.entrySet()) {
      StoredLog log = session.getValue();
      Map<Integer, Long> acked = publisher.acked(session.getKey());
      storedCount += log.size();
      logGaps += log.misnumbered();
      storedTwice += log.storedTwice();
      acknowledged += acked.size();
      lost += log.acknowledgedMissing(acked).size();
    }
    long duplicates = subscribers.stream().mapToLong(FailoverSubscriber::duplicates).sum();
    long gaps = subscribers.stream().mapToLong(FailoverSubscriber::gaps).sum();
    long behind = subscribers.stream().filter(s -> s.position() != stored.get(s.sessionId()).size()).count();
    ResumeTimes resumes = ResumeTimes.of(subscribers);
    result = new JsonObject().put("minutes", settings.minutes()).put("nodes", nodes.size()).put("kills", kills)
        .put("subscribers", settings.subscribers()).put("sessions", settings.sessions())
        .put("ratePerSec", settings.rate()).put("acknowledged", acknowledged).put("stored", storedCount)
        .put("acknowledgedLost", lost).put("storedTwice", storedTwice).put("logGaps", logGaps)
        .put("publishAttemptsFailed", publisher.failures())
        .put("deliveries", subscribers.stream().mapToLong(FailoverSubscriber::delivered).sum())
        .put("subscriberDuplicates", duplicates).put("subscriberGaps", gaps).put("subscribersBehindAtEnd", behind)
        .put("allCurrent", current)
        .put("reconnects", subscribers.stream().mapToLong(FailoverSubscriber::reconnects).sum())
        .put("resumeP50Ms", resumes.p50Ms()).put("resumeP95Ms", resumes.p95Ms()).put("resumeMaxMs", resumes.maxMs())
        .put("events", new JsonArray(new ArrayList<>(events)));
    JsonArray memory = new JsonArray();
    for (ChaosNode node : nodes) {
      memory.add(new JsonObject().put("node", node.index).put("starts", node.process.starts())
          .put("samplesSinceLastStart", new JsonArray(new ArrayList<>(node.samples))));
    }
    result.put("memory", memory);
    passed = lost == 0 && storedTwice == 0 && logGaps == 0 && duplicates == 0 && gaps == 0 && behind == 0;
  }

  /** Nothing acknowledged lost, nothing stored twice, no hole, no duplicate or gap seen, nobody behind. */
  boolean passed() {
    return passed;
  }

  void write(Path out) throws IOException {
    Files.writeString(out.resolve("chaos.json"), result.encodePrettily());
    StringBuilder md = new StringBuilder("| figure | value |\n|---|---|\n");
    for (String key : FIGURES) {
      md.append("| ").append(key).append(" | ").append(result.getValue(key)).append(" |\n");
    }
    md.append("\n| node | starts | first sample since last start | last sample |\n|---|---|---|---|\n");
    for (ChaosNode node : nodes) {
      md.append("| ").append(node.index).append(" | ").append(node.process.starts()).append(" | ")
          .append(node.samples.isEmpty() ? "" : node.samples.get(0)).append(" | ")
          .append(node.samples.isEmpty() ? "" : node.samples.get(node.samples.size() - 1)).append(" |\n");
    }
    Files.writeString(out.resolve("chaos.md"), md.toString());
    System.out.println(result.encode());
    System.err.println(md);
  }
}
