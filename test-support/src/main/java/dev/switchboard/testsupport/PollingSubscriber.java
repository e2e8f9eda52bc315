package dev.switchboard.testsupport;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.function.IntSupplier;

/**
 * {@link FailoverSubscriber}'s long-polling sibling: follows one session with {@code GET /poll}, always polling again
 * from the last eventId it got, and after a failed poll polls the next node it is given. It counts the same things:
 * events in order, duplicates, gaps, resets.
 */
public final class PollingSubscriber {

  private static final int WAIT_MS = 20_000;

  private final Vertx vertx;
  private final WireObserver wire;
  private final String sessionId;
  private final String token;
  private final IntSupplier nextPort;
  private final WebClient http;

  private final EventSequence sequence = new EventSequence();
  private int resets;
  private int connectedPort = -1;
  private volatile boolean stopped;

  /** @param nextPort the node to poll first, then, after each failure, the next one */
  public PollingSubscriber(Vertx vertx, WireObserver wire, String sessionId, String token, IntSupplier nextPort) {
    this.vertx = vertx;
    this.wire = wire;
    this.sessionId = sessionId;
    this.token = token;
    this.nextPort = nextPort;
    this.http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setConnectTimeout(2000));
  }

  /** Polls from {@code eventId} on. */
  public PollingSubscriber startFrom(long eventId) {
    synchronized (this) {
      sequence.moveTo(eventId);
    }
    int port = nextPort.getAsInt();
    vertx.runOnContext(v -> poll(port));
    return this;
  }

  private void poll(int port) {
    if (stopped) {
      return;
    }
    var request = http.get(port, "127.0.0.1", "/poll?sessionId=" + sessionId + "&fromEventId=" + position()
            + "&timeoutMs=" + WAIT_MS)
        .bearerTokenAuthentication(token)
        .timeout(WAIT_MS + 10_000);
    request.send().onComplete(answer -> {
      if (answer.succeeded() && answer.result().statusCode() == 200) {
        wire.httpAnswer(request, answer.result());
        onAnswer(port, answer.result().bodyAsJsonObject());
        poll(port);
      } else {
        synchronized (this) {
          connectedPort = -1;
        }
        if (!stopped) {
          vertx.setTimer(100, t -> poll(nextPort.getAsInt()));
        }
      }
    });
  }

  private synchronized void onAnswer(int port, JsonObject answer) {
    connectedPort = port;
    JsonObject reset = answer.getJsonObject("reset");
    if (reset != null) {
      resets++;
      sequence.moveTo(Long.parseLong(reset.getString("lastEventId")));
      return;
    }
    JsonArray events = answer.getJsonArray("events");
    for (int i = 0; i < events.size(); i++) {
      sequence.received(Long.parseLong(events.getJsonObject(i).getString("eventId")));
    }
  }

  /** The last eventId received in order. */
  public synchronized long position() {
    return sequence.position();
  }

  public synchronized int duplicates() {
    return sequence.duplicates();
  }

  public synchronized int gaps() {
    return sequence.gaps();
  }

  public synchronized int resets() {
    return resets;
  }

  /** The node that answered the last poll, or -1 after a failed one. */
  public synchronized int connectedPort() {
    return connectedPort;
  }

  /** Polls no more once the poll under way is answered. */
  public void stop() {
    stopped = true;
    http.close();
  }

  @Override
  public synchronized String toString() {
    return "long poll " + sessionId + " at " + sequence.position() + " (dup " + sequence.duplicates() + ", gaps "
        + sequence.gaps() + ", resets " + resets + ")";
  }
}
