package dev.switchboard.client;

import dev.switchboard.testsupport.NodeProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.switchboard.client.Recorder.oneTo;
import static dev.switchboard.client.Recorder.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An app in a child JVM, killed with {@code kill -9} (no {@code close()}, no flush) and started again with the same
 * {@link FilePositionStore}, resumes where it was.
 */
class ProcessDeathTest {

  private final NodeProcess node = TestNode.shared();
  private Process child;
  private SwitchboardClient publisher;

  @AfterEach
  void stop() {
    if (child != null) {
      child.destroyForcibly();
    }
    if (publisher != null) {
      publisher.close();
    }
  }

  @Test
  void anAppKilledBetweenEventsResumesExactlyOnce() throws Exception {
    String session = "death-between";
    Path dir = Files.createTempDirectory("sb-child");
    publisher = new SwitchboardClient(ClientOptions.builder(TestNode.url(node)).token(Tokens.hourLong("ada")).build());
    RealNodeTest.publishAll(publisher, session, 1, 30);
    child = startChild(session, dir);
    until(() -> effects(dir).size() >= 30 && positionFile(dir).contains(session + "=30"),
        "the child handled 30 events and stored its position");
    kill9();
    RealNodeTest.publishAll(publisher, session, 31, 50);
    child = startChild(session, dir);
    RealNodeTest.publishAll(publisher, session, 51, 60);
    until(() -> effects(dir).size() >= 60, "the restarted child catches up: " + effects(dir).size());
    Thread.sleep(300); // a repeat, if any, would follow the last event
    assertEquals(oneTo(60), effects(dir), "every event handled once, in order, across the kill");
  }

  @Test
  void anAppKilledWhileEventsFlowLosesNothingAndRepeatsAtMostTheEventInHand() throws Exception {
    String session = "death-midstream";
    Path dir = Files.createTempDirectory("sb-child");
    publisher = new SwitchboardClient(ClientOptions.builder(TestNode.url(node)).token(Tokens.hourLong("ada")).build());
    RealNodeTest.publishAll(publisher, session, 1, 1);
    child = startChild(session, dir);
    until(() -> effects(dir).size() == 1, "the child is subscribed");
    Thread publishes = new Thread(() -> {
      try {
        for (int n = 2; n <= 150; n++) {
          RealNodeTest.publishAll(publisher, session, n, n);
          Thread.sleep(5);
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }, "death-publisher");
    publishes.start();
    until(() -> effects(dir).size() >= 60, "events flow to the child");
    kill9();
    child = startChild(session, dir);
    publishes.join(TimeUnit.SECONDS.toMillis(60));
    until(() -> distinct(effects(dir)).size() >= 150, "the restarted child catches up");
    Thread.sleep(300);
    List<Long> handled = effects(dir);
    assertEquals(oneTo(150), distinct(handled), "nothing lost, in order");
    assertTrue(handled.size() - 150 <= 1, "at most the event in hand at the kill is handled twice: " + handled);
  }

  private void kill9() throws InterruptedException {
    child.destroyForcibly();
    assertTrue(child.waitFor(10, TimeUnit.SECONDS), "the child died");
  }

  private Process startChild(String session, Path dir) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        ChildSubscriber.class.getName(), TestNode.url(node), session, dir.resolve("positions").toString(),
        dir.resolve("effects").toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("child.log").toFile()))
        .start();
  }

  private static List<Long> effects(Path dir) {
    try {
      Path file = dir.resolve("effects");
      return Files.exists(file) ? Files.readAllLines(file).stream().filter(line -> !line.isEmpty())
          .map(Long::parseLong).collect(Collectors.toList()) : new ArrayList<>();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String positionFile(Path dir) {
    try {
      Path file = dir.resolve("positions");
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static List<Long> distinct(List<Long> handled) {
    return handled.stream().distinct().collect(Collectors.toList());
  }
}
