package dev.switchboard.client;

import dev.switchboard.testsupport.NodeProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.client.Recorder.oneTo;
import static dev.switchboard.client.Recorder.until;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A node restarted mid-stream, once drained (SIGTERM) and once killed ({@code kill -9}), on its own node: subscribers
 * on WebSocket and SSE lose and repeat nothing, and a publisher retrying with its idempotency keys stores each event
 * once.
 */
class NodeRestartTest {

  private NodeProcess node;
  private final List<SwitchboardClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(SwitchboardClient::close);
    if (node != null) {
      node.close();
    }
  }

  private SwitchboardClient client(Recorder recorder, Transport transport) {
    SwitchboardClient client = new SwitchboardClient(ClientOptions.builder(TestNode.url(node))
        .token(Tokens.hourLong("ada")).listener(recorder).transports(transport)
        .backoff(Duration.ofMillis(200), Duration.ofSeconds(1)).build());
    clients.add(client);
    return client;
  }

  @Test
  void restartsMidStreamLoseAndRepeatNothing() throws Exception {
    node = TestNode.start("restart");
    String session = "restart";
    Recorder onWebSocket = new Recorder();
    Recorder onSse = new Recorder();
    client(onWebSocket, Transport.WEBSOCKET).subscribe(session, "0").connect();
    client(onSse, Transport.SSE).subscribe(session, "0").connect();
    onWebSocket.awaitConnected(Transport.WEBSOCKET);
    onSse.awaitConnected(Transport.SSE);

    SwitchboardClient publisher = client(new Recorder(), Transport.WEBSOCKET);
    AtomicInteger acked = new AtomicInteger();
    AtomicBoolean publishing = new AtomicBoolean(true);
    Thread publishes = new Thread(() -> {
      while (publishing.get()) {
        try {
          publisher.publish(session, "tick", "{\"n\":" + (acked.get() + 1) + "}").get(60, TimeUnit.SECONDS);
          acked.incrementAndGet();
          Thread.sleep(5);
        } catch (Exception e) {
          throw new AssertionError("a publish failed for good", e);
        }
      }
    }, "restart-publisher");
    publishes.start();

    until(() -> acked.get() >= 100, "events flow");
    node.terminate(Duration.ofSeconds(20));
    node.start().awaitReady(Duration.ofSeconds(60));
    until(() -> acked.get() >= 250, "events flow after the drained restart");
    node.kill9();
    node.start().awaitReady(Duration.ofSeconds(60));
    until(() -> acked.get() >= 400, "events flow after the killed restart");
    publishing.set(false);
    publishes.join(TimeUnit.SECONDS.toMillis(70));

    int total = acked.get();
    onWebSocket.awaitCount(session, total);
    onSse.awaitCount(session, total);
    assertEquals(oneTo(total), onWebSocket.sequence(session), "WebSocket: every event once and in order");
    assertEquals(oneTo(total), onSse.sequence(session), "SSE: every event once and in order");
    HistoryPage stored = publisher.history(session, "0", 1000).get(30, TimeUnit.SECONDS);
    assertEquals(total, stored.events().size(), "one stored event per acknowledged publish");
  }
}
