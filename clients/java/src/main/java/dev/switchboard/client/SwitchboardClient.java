package dev.switchboard.client;

import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

import okhttp3.OkHttpClient;

/**
 * A Switchboard client for Android apps and JVM services: one logical connection to a node, carried by WebSocket or
 * SSE, holding the subscribed sessions and where each resumes (docs/PROTOCOL.md, Recommended client behaviour).
 *
 * <pre>
 * SwitchboardClient client = new SwitchboardClient(ClientOptions.builder("https://sb.example.com")
 *     .token(reason -&gt; backend.switchboardToken())          // CompletionStage&lt;String&gt;
 *     .positionStore(new FilePositionStore(Paths.get("positions")))
 *     .listener(new SwitchboardListener() {
 *       public void onEvent(Event event) {
 *         System.out.println(event.eventId() + " " + event.payloadJson());
 *       }
 *     })
 *     .build());
 * client.subscribe("poll:42").connect();
 * client.publish("poll:42", "vote", "{\"option\":\"b\"}").thenAccept(r -&gt; System.out.println(r.eventId()));
 * </pre>
 *
 * Thread-safe: every method may be called from any thread. The listener runs on the callback executor; the futures
 * complete there too. {@link #close()} ends every thread the client started.
 */
public final class SwitchboardClient implements AutoCloseable {

  private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  /** The longest a client waits before reading presence again after counts-only diffs. */
  private static final long REREAD_JITTER_MS = 2000;
  private static final long CLOSE_WAIT_MS = 5000;

  private final ClientOptions options;
  private final ClientLoop loop = new ClientLoop();
  private final OkHttpClient http;
  private final boolean ownsHttp;
  private final ExecutorService ownCallbacks;
  private final Delivery delivery;
  private final Subscriptions subscriptions = new Subscriptions();
  private final TokenSource tokens;
  private final RestApi rest;
  private final Publisher publisher;
  private final FrameDispatcher frames;
  private final Connection connection;
  private volatile boolean closed;
  private volatile Thread callbackThread;

  public SwitchboardClient(ClientOptions options) {
    this.options = options;
    this.ownsHttp = options.okHttpClient == null;
    this.http = ownsHttp ? new OkHttpClient() : options.okHttpClient;
    this.ownCallbacks = options.callbackExecutor == null ? Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "switchboard-callbacks");
      thread.setDaemon(true);
      callbackThread = thread;
      return thread;
    }) : null;
    Executor callbacks = ownCallbacks != null ? ownCallbacks : options.callbackExecutor;
    this.delivery = new Delivery(options.listener, callbacks, options.positionStore, loop);
    this.rest = new RestApi(http, options.baseUrl);
    this.tokens = new TokenSource(options.tokens, loop, options.refreshBeforeMs,
        token -> connectionApplyToken(token), delivery::error);
    this.publisher = new Publisher(loop, rest, tokens, frame -> connectionSend(frame), options,
        delivery.callbacks());
    this.frames = new FrameDispatcher(subscriptions, publisher, delivery, this::rereadPresence);
    this.connection = new Connection(http, options.baseUrl, loop, options, tokens, subscriptions, frames::dispatch,
        publisher::disconnected, delivery);
  }

  /** Starts connecting (again, after a stop); subscriptions made before are carried. */
  public SwitchboardClient connect() {
    checkOpen();
    loop.execute(connection::start);
    return this;
  }

  /**
   * Closes the client for good: the connection ends, publishes in progress fail with {@code closed}, and every
   * thread the client started ends (OkHttp's own shared daemon threads, when the client made its OkHttpClient, idle
   * out by themselves). The positions of events the listener has handled are written before it returns. Called from
   * inside a listener method on the client's own callback thread, it returns without waiting for that thread.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    loop.execute(() -> {
      connection.stop(ConnectionState.Phase.CLOSED, "closed by the application", null);
      publisher.close();
    });
    loop.shutdown();
    if (!loop.inLoop()) {
      try {
        loop.awaitTermination(CLOSE_WAIT_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (ownsHttp) {
      http.dispatcher().cancelAll();
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
    if (ownCallbacks != null) {
      ownCallbacks.shutdown();
      awaitCallbacks();
    }
    delivery.flushPositions();
  }

  /** Lets the client's own callback thread finish what is queued (events whose positions are then written). */
  private void awaitCallbacks() {
    if (Thread.currentThread() == callbackThread) {
      return;
    }
    try {
      ownCallbacks.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Subscribes to a session, resuming from its stored position (see {@link PositionStore}), or live when none is
   * stored. Subscribing to a session already subscribed changes nothing.
   */
  public SwitchboardClient subscribe(String sessionId) {
    return subscribe(sessionId, null);
  }

  /**
   * Subscribes to a session from {@code fromEventId}: every event after it is replayed first ({@code "0"}: the whole
   * retained history); null resumes from the stored position or starts live.
   */
  public SwitchboardClient subscribe(String sessionId, String fromEventId) {
    checkSession(sessionId);
    if (fromEventId != null && !fromEventId.matches("\\d{1,19}")) {
      throw new IllegalArgumentException("fromEventId must be a decimal eventId: " + fromEventId);
    }
    checkOpen();
    loop.execute(() -> {
      String position = fromEventId != null ? fromEventId : options.positionStore.load(sessionId);
      SessionState session = subscriptions.add(sessionId, position);
      if (session != null) {
        connection.subscribe(sessionId, session.position());
      }
    });
    return this;
  }

  /** Ends a subscription and forgets its stored position. */
  public SwitchboardClient unsubscribe(String sessionId) {
    loop.execute(() -> {
      if (subscriptions.remove(sessionId)) {
        connection.unsubscribe(sessionId);
        delivery.forget(sessionId);
      }
    });
    return this;
  }

  /** The subscribed session ids. */
  public List<String> sessions() {
    List<String> ids = subscriptions.ids();
    Collections.sort(ids);
    return ids;
  }

  /** The eventId a session resumes after (its last accepted event), or null before it has one. */
  public String position(String sessionId) {
    SessionState session = subscriptions.get(sessionId);
    return session == null ? null : session.position();
  }

  /** The connection's current state. */
  public ConnectionState state() {
    return connection.state();
  }

  /** Stores an event, retrying with one idempotency key until stored or {@code publishTimeout}. */
  public CompletableFuture<PublishResult> publish(String sessionId, String eventType, String payloadJson) {
    return publish(sessionId, eventType, payloadJson, null);
  }

  /**
   * Stores an event with the application's own idempotency key (one per event it means, reused if it publishes the
   * same event again, for example after its own restart); null generates one.
   */
  public CompletableFuture<PublishResult> publish(String sessionId, String eventType, String payloadJson,
      String idempotencyKey) {
    checkSession(sessionId);
    JsonValue payload = Frames.payload(payloadJson);
    checkOpen();
    return publisher.publish(sessionId, eventType, payload, idempotencyKey, options.publishTimeoutMs);
  }

  /**
   * Sends an ephemeral signal (not stored, at most once). Signals travel only on a WebSocket: completes with false
   * when the client is on SSE or not connected.
   */
  public CompletableFuture<Boolean> signal(String sessionId, String eventType, String payloadJson) {
    checkSession(sessionId);
    JsonValue payload = Frames.payload(payloadJson);
    CompletableFuture<Boolean> sent = new CompletableFuture<>();
    loop.execute(() -> {
      boolean ok = connection.sendOnWebSocket(Frames.signal(sessionId, eventType, payload));
      delivery.callbacks().execute(() -> sent.complete(ok));
    });
    return sent;
  }

  /** Reads up to {@code limit} (1-1000) stored events after {@code afterEventId} (REST). */
  public CompletableFuture<HistoryPage> history(String sessionId, String afterEventId, int limit) {
    checkSession(sessionId);
    return rest(token -> rest.history(token, sessionId, afterEventId == null ? "0" : afterEventId, limit,
        options.ackTimeoutMs), answer -> {
          List<Event> events = new ArrayList<>();
          JsonValue list = answer.body.get("events");
          if (list != null && list.isArray()) {
            for (JsonValue item : list.asArray()) {
              events.add(Frames.event(item.asObject()));
            }
          }
          JsonValue reset = answer.body.get("reset");
          JsonObject resetObject = reset != null && reset.isObject() ? reset.asObject() : null;
          return new HistoryPage(Collections.unmodifiableList(events), Frames.eventId(answer.body, "lastEventId"),
              resetObject == null ? null : Frames.string(resetObject, "reason"),
              resetObject == null ? null : Frames.eventId(resetObject, "lastEventId"));
        });
  }

  /** Reads the first page (100 users) of a session's presence (REST). */
  public CompletableFuture<PresencePage> presence(String sessionId) {
    return presence(sessionId, null, 100);
  }

  /** Reads a page of a session's presence: {@code cursor} from the previous page, {@code limit} 0-1000 (REST). */
  public CompletableFuture<PresencePage> presence(String sessionId, String cursor, int limit) {
    checkSession(sessionId);
    return rest(token -> rest.presence(token, sessionId, cursor, limit, options.ackTimeoutMs), answer -> {
      List<PresenceUser> users = Frames.users(answer.body, "users");
      return new PresencePage(users == null ? Collections.<PresenceUser>emptyList()
          : Collections.unmodifiableList(users), Frames.integer(answer.body, "count", 0),
          Frames.string(answer.body, "nextCursor"));
    });
  }

  /** Replaces the token (when the application refreshes it itself); applied to the connection in place. */
  public void setToken(String token) {
    loop.execute(() -> {
      tokens.set(token);
      connection.applyToken(token);
    });
  }

  /** The device is online again (Android: {@code ConnectivityManager.NetworkCallback.onAvailable}): reconnect now. */
  public void onNetworkAvailable() {
    loop.execute(() -> connection.wake("network available"));
  }

  /** The app came to the foreground: reconnect now (after a background close too), or prove the connection. */
  public void onForeground() {
    loop.execute(() -> connection.wake("foreground"));
  }

  /** The app went to the background: with {@code closeInBackgroundAfter}, the connection closes after that grace. */
  public void onBackground() {
    loop.execute(connection::background);
  }

  private <T> CompletableFuture<T> rest(Function<String, CompletableFuture<RestApi.Answer>> call,
      Function<RestApi.Answer, T> read) {
    checkOpen();
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.execute(() -> tokens.get().thenCompose(call).whenComplete((answer, failure) ->
        delivery.callbacks().execute(() -> {
          if (failure != null) {
            result.completeExceptionally(Publisher.unwrap(failure));
            return;
          }
          try {
            result.complete(read.apply(answer));
          } catch (RuntimeException e) {
            result.completeExceptionally(SwitchboardException.of(ErrorCode.INTERNAL, "unreadable answer: " + e, e));
          }
        })));
    return result;
  }

  /**
   * Reads a session's presence again soon (its list missed users while the server sent counts only), after a random
   * wait so that every subscriber of a big session does not ask at once.
   */
  private void rereadPresence(String sessionId) {
    loop.schedule(ThreadLocalRandom.current().nextLong(REREAD_JITTER_MS), () -> {
      if (subscriptions.get(sessionId) == null || closed) {
        return;
      }
      tokens.get().thenCompose(token -> rest.presence(token, sessionId, null, 100, options.ackTimeoutMs))
          .whenComplete((answer, failure) -> loop.execute(() -> {
            if (answer != null) {
              List<PresenceUser> users = Frames.users(answer.body, "users");
              frames.polledPresence(sessionId, users == null ? Collections.<PresenceUser>emptyList() : users,
                  Frames.integer(answer.body, "count", 0));
            }
          }));
    });
  }

  // The connection is made after the parts that reach it (tokens, publisher): these hops find it once it exists.
  private void connectionApplyToken(String token) {
    connection.applyToken(token);
  }

  private boolean connectionSend(JsonObject frame) {
    return connection.sendOnWebSocket(frame);
  }

  private void checkOpen() {
    if (closed) {
      throw new SwitchboardException(ErrorCode.CLOSED, "the client was closed; create a new one");
    }
  }

  private static void checkSession(String sessionId) {
    if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
      throw new IllegalArgumentException("a session id is 1-128 characters of [A-Za-z0-9._:-]: " + sessionId);
    }
  }
}
