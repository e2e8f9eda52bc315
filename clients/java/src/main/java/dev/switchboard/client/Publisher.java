package dev.switchboard.client;

import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Predicate;

/**
 * Publishing with acks and retries. Every publish carries an idempotency key, generated once and sent again on every
 * retry, so an attempt whose answer was lost (a dropped socket, a timeout, a node restart) is stored once: the server
 * answers a repeated key with the original eventId (docs/PROTOCOL.md, Guarantees: idempotent publish).
 *
 * <p>An attempt goes over the WebSocket when the client is connected on one (answered by {@code ack} or
 * {@code error}), and over {@code POST /sessions/{S}/events} otherwise; retries may switch between the two. Used on
 * the client loop; the futures it hands out complete on the callback executor.
 */
final class Publisher {

  private final ClientLoop loop;
  private final RestApi rest;
  private final TokenSource tokens;
  private final Predicate<JsonObject> sendOnWebSocket;
  private final ClientOptions options;
  private final Executor callbacks;
  private final Map<String, Attempt> pending = new HashMap<>();
  private final Set<Attempt> waiting = new HashSet<>();
  private long counter;
  private boolean closed;

  Publisher(ClientLoop loop, RestApi rest, TokenSource tokens, Predicate<JsonObject> sendOnWebSocket,
      ClientOptions options, Executor callbacks) {
    this.loop = loop;
    this.rest = rest;
    this.tokens = tokens;
    this.sendOnWebSocket = sendOnWebSocket;
    this.options = options;
    this.callbacks = callbacks;
  }

  /** Starts a publish (on the loop); the future completes once it is stored, or fails for good. */
  CompletableFuture<PublishResult> publish(String sessionId, String eventType, JsonValue payload,
      String idempotencyKey, long timeoutMs) {
    CompletableFuture<PublishResult> result = new CompletableFuture<>();
    String key = idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString();
    Attempt attempt = new Attempt(sessionId, Frames.publishBody(eventType, payload, key),
        loop.now() + timeoutMs, result);
    loop.execute(attempt::run);
    return result;
  }

  /** Routes an {@code ack} frame; true when it answered one of our publishes. */
  boolean onAck(JsonObject frame) {
    Attempt attempt = pending.remove(Frames.string(frame, "requestId"));
    if (attempt != null) {
      attempt.stored(new PublishResult(Frames.eventId(frame, "eventId"), Frames.string(frame, "timestamp"), false));
    }
    return attempt != null;
  }

  /** Routes an {@code error} frame; true when it answered one of our publishes. */
  boolean onError(JsonObject frame) {
    Attempt attempt = pending.remove(Frames.string(frame, "requestId"));
    if (attempt != null) {
      attempt.failed(HttpErrors.fromFrame(frame, "publish failed"));
    }
    return attempt != null;
  }

  /** The WebSocket went away: attempts waiting for an ack there are retried, with the same key. */
  void disconnected() {
    for (Attempt attempt : drainPending()) {
      attempt.failed(new SwitchboardException(ErrorCode.DISCONNECTED, "the connection closed before the ack"));
    }
  }

  /** The client closed: every publish still in progress fails with {@code closed}. */
  void close() {
    closed = true;
    ArrayList<Attempt> all = drainPending();
    all.addAll(waiting);
    waiting.clear();
    for (Attempt attempt : all) {
      attempt.failed(new SwitchboardException(ErrorCode.CLOSED, "the client was closed"));
    }
  }

  private ArrayList<Attempt> drainPending() {
    ArrayList<Attempt> all = new ArrayList<>(pending.values());
    pending.clear();
    return all;
  }

  /** One publish across its attempts. */
  private final class Attempt {
    private final String sessionId;
    private final JsonObject body;
    private final long deadline;
    private final CompletableFuture<PublishResult> result;
    private final Backoff backoff = new Backoff(options.backoffBaseMs, options.backoffMaxMs);
    private boolean refreshedToken;
    private ScheduledFuture<?> timer;

    Attempt(String sessionId, JsonObject body, long deadline, CompletableFuture<PublishResult> result) {
      this.sessionId = sessionId;
      this.body = body;
      this.deadline = deadline;
      this.result = result;
    }

    void run() {
      waiting.remove(this);
      if (closed) {
        failed(new SwitchboardException(ErrorCode.CLOSED, "the client was closed"));
        return;
      }
      long left = Math.max(1, deadline - loop.now());
      String requestId = "publish:" + ++counter;
      if (sendOnWebSocket.test(Frames.publishFrame(requestId, sessionId, body))) {
        pending.put(requestId, this);
        timer = loop.schedule(Math.min(left, options.ackTimeoutMs), () -> {
          if (pending.remove(requestId) == this) {
            failed(new SwitchboardException(ErrorCode.TIMEOUT, "no ack in time"));
          }
        });
        return;
      }
      tokens.get()
          .thenCompose(token -> rest.publish(token, sessionId, body, Math.min(left, options.ackTimeoutMs)))
          .whenComplete((answer, failure) -> loop.execute(() -> {
            if (failure != null) {
              failed(unwrap(failure));
            } else {
              stored(new PublishResult(Frames.eventId(answer.body, "eventId"),
                  Frames.string(answer.body, "timestamp"), answer.status == 200));
            }
          }));
    }

    void stored(PublishResult stored) {
      cancelTimer();
      callbacks.execute(() -> result.complete(stored));
    }

    void failed(SwitchboardException failure) {
      cancelTimer();
      if (result.isDone()) {
        return;
      }
      if (closed || failure.code() == ErrorCode.CLOSED) {
        giveUp(new SwitchboardException(ErrorCode.CLOSED, "the client was closed"));
        return;
      }
      if (failure.code() == ErrorCode.UNAUTHORIZED && tokens.canRefresh() && !refreshedToken) {
        refreshedToken = true;
        tokens.fetch(TokenSupplier.Reason.UNAUTHORIZED).whenComplete((token, error) -> run());
        return;
      }
      long wait = Backoff.retryWait(backoff.next(), failure);
      if (!failure.retryable() || loop.now() + wait >= deadline) {
        giveUp(failure);
        return;
      }
      waiting.add(this);
      timer = loop.schedule(wait, this::run);
    }

    private void giveUp(SwitchboardException failure) {
      callbacks.execute(() -> result.completeExceptionally(failure));
    }

    private void cancelTimer() {
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
    }
  }

  static SwitchboardException unwrap(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    return cause instanceof SwitchboardException ? (SwitchboardException) cause
        : SwitchboardException.of(ErrorCode.INTERNAL, String.valueOf(cause), cause);
  }
}
