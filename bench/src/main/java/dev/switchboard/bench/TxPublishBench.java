package dev.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Publishing from the application's own transaction ({@code sb_publish}) against publishing over REST, in one run
 * against one node on PostgreSQL. C application connections (threads, one transaction at a time each) first commit
 * transactions that insert a row of the application's own, then the same transactions with one {@code sb_publish}
 * call added (the difference is the function's cost on the caller's transaction); then C REST publishers (one
 * publish in flight each). A WebSocket subscriber per session timestamps each event's arrival: commit-to-delivery is
 * from the moment the application is told its commit (or its 201) is done to the delivery, counted as 0 when the
 * event arrived first; end to end is from the start of the transaction (or of the request). The three modes take
 * turns for {@code --rounds} rounds of {@code --seconds} each.
 */
final class TxPublishBench {

  private final BenchOptions options;
  private final int connections;
  private final String jdbcUrl;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  /** When each event (by its key) reached its subscriber. */
  private final Map<String, Long> receivedAt = new ConcurrentHashMap<>();

  TxPublishBench(BenchOptions options) {
    this.options = options;
    this.connections = options.integer("connections", 8);
    this.jdbcUrl = options.string("jdbc-url", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
  }

  void run() throws Exception {
    Vertx vertx = Vertx.vertx();
    String token = options.token(vertx);
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(connections + 10));
    List<Future<WebSocket>> subscribing = new ArrayList<>();
    for (int lane = 0; lane < connections; lane++) {
      subscribing.add(client.connect(new WebSocketConnectOptions().setHost(options.host).setPort(options.port)
          .setURI("/events?sessionId=" + session(lane) + "&access_token=" + token)));
    }
    Future.all(subscribing).await(30, TimeUnit.SECONDS);
    subscribing.forEach(ws -> ws.result().textMessageHandler(text -> {
      long now = System.nanoTime();
      JsonObject frame = new JsonObject(text);
      if ("event".equals(frame.getString("type"))) {
        receivedAt.put(frame.getJsonObject("payload").getString("k"), now);
      }
    }));
    try (Connection admin = DriverManager.getConnection(jdbcUrl); Statement statement = admin.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS bench_orders (id bigserial PRIMARY KEY, lane integer,"
          + " n integer, body text)");
    }
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String body = "x".repeat(options.integer("payload", 200));
    // The modes take turns, round after round, so that a change in the machine's load hits each of them.
    for (int round = 1; round <= options.integer("rounds", 3); round++) {
      measure(round, "transaction without sb_publish", (lane, n, key) -> transaction(lane, n, body, null));
      measure(round, "transaction with sb_publish", (lane, n, key) -> transaction(lane, n, body, key));
      measure(round, "REST publish", (lane, n, key) -> restPublish(http, token, lane, key, body));
    }
    client.close();
    vertx.close();
  }

  private void restPublish(HttpClient http, String token, int lane, String key, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + options.host + ":" + options.port
            + "/sessions/" + session(lane) + "/events"))
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("eventType", "bench")
            .put("payload", new JsonObject().put("k", key).put("body", body)).encode()))
        .build();
    int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    if (status != 201) {
      throw new IllegalStateException("publish answered " + status);
    }
  }

  private String session(int lane) {
    return "bench-tx-" + run + "-" + lane;
  }

  /** One application transaction: the application's own row, then {@code sb_publish} unless {@code key} is null. */
  private void transaction(int lane, int n, String body, String key) throws Exception {
    Connection connection = CONNECTIONS.get();
    if (connection == null) {
      connection = DriverManager.getConnection(jdbcUrl);
      connection.setAutoCommit(false);
      CONNECTIONS.set(connection);
    }
    try {
      statements(connection, lane, n, body, key);
    } catch (Exception e) {
      connection.rollback();
      throw e;
    }
  }

  private void statements(Connection connection, int lane, int n, String body, String key) throws Exception {
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO bench_orders (lane, n, body) VALUES (?, ?, ?)")) {
      insert.setInt(1, lane);
      insert.setInt(2, n);
      insert.setString(3, body);
      insert.executeUpdate();
    }
    if (key != null) {
      try (PreparedStatement publish = connection.prepareStatement("SELECT sb_publish(?, 'bench', ?::jsonb)")) {
        publish.setString(1, session(lane));
        publish.setString(2, new JsonObject().put("k", key).put("body", body).encode());
        publish.executeQuery().close();
      }
    }
    connection.commit();
  }

  private static final ThreadLocal<Connection> CONNECTIONS = new ThreadLocal<>();

  /** Runs {@code operation} on every lane for the warm-up, then measured seconds; prints one JSON line. */
  private void measure(int round, String name, Operation operation) throws Exception {
    ExecutorService lanes = Executors.newFixedThreadPool(connections);
    long warmEnd = System.nanoTime() + options.warmup * 1_000_000_000L;
    long end = warmEnd + options.seconds * 1_000_000_000L;
    Histogram operationMicros = new Histogram(3);
    Map<String, Long> doneAt = new ConcurrentHashMap<>();
    Map<String, Long> startedAt = new ConcurrentHashMap<>();
    List<java.util.concurrent.Future<long[]>> results = new ArrayList<>();
    for (int lane = 0; lane < connections; lane++) {
      int l = lane;
      results.add(lanes.submit(() -> {
        long count = 0;
        long errors = 0;
        Histogram mine = new Histogram(3);
        for (int n = 0; System.nanoTime() < end; n++) {
          String key = round + name.charAt(0) + "-" + l + "-" + n;
          long started = System.nanoTime();
          try {
            operation.run(l, n, key);
          } catch (Exception e) {
            errors++;
            continue;
          }
          long done = System.nanoTime();
          if (started >= warmEnd) {
            count++;
            mine.recordValue((done - started) / 1000);
            doneAt.put(key, done);
            startedAt.put(key, started);
          }
        }
        synchronized (operationMicros) {
          operationMicros.add(mine);
        }
        Connection connection = CONNECTIONS.get();
        if (connection != null) {
          connection.close();
          CONNECTIONS.remove();
        }
        return new long[] {count, errors};
      }));
    }
    long operations = 0;
    long errors = 0;
    for (var result : results) {
      long[] counts = result.get();
      operations += counts[0];
      errors += counts[1];
    }
    lanes.shutdown();
    Thread.sleep(3000);
    Histogram delivery = new Histogram(3);
    Histogram endToEnd = new Histogram(3);
    long lost = 0;
    for (var done : doneAt.entrySet()) {
      Long received = receivedAt.get(done.getKey());
      if (received == null) {
        lost++;
      } else {
        delivery.recordValue(Math.max(0, received - done.getValue()) / 1000);
        endToEnd.recordValue((received - startedAt.get(done.getKey())) / 1000);
      }
    }
    boolean publishes = !name.endsWith("without sb_publish");
    JsonObject line = new JsonObject().put("scenario", "txpublish").put("target", "switchboard").put("mode", name)
        .put("round", round).put("connections", connections)
        .put("perSec", Math.round(operations / (double) options.seconds))
        .put("operationP50Ms", operationMicros.getValueAtPercentile(50) / 1000.0)
        .put("operationP99Ms", operationMicros.getValueAtPercentile(99) / 1000.0).put("errors", errors);
    if (publishes) {
      line.put("deliveryP50Ms", delivery.getValueAtPercentile(50) / 1000.0)
          .put("deliveryP99Ms", delivery.getValueAtPercentile(99) / 1000.0)
          .put("endToEndP50Ms", endToEnd.getValueAtPercentile(50) / 1000.0)
          .put("endToEndP99Ms", endToEnd.getValueAtPercentile(99) / 1000.0).put("lost", lost);
    }
    System.out.println(line.encode());
  }

  @FunctionalInterface
  private interface Operation {
    void run(int lane, int n, String key) throws Exception;
  }
}
