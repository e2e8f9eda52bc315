package dev.switchboard.server;

import dev.switchboard.testsupport.PrometheusText;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A whole single node (every role) in this JVM on an ephemeral port, with clients to talk to it. Started at once by
 * {@link #start}, or, as a test class's one node, by {@link #perClass}: a static {@code @RegisterExtension} field
 * that JUnit starts before the class's tests (and its {@code @BeforeAll} methods) and closes after them.
 */
final class TestNode implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

  private final Map<String, String> overrides;
  /** What the node reads as its configuration file ({@code --config}). */
  private final JsonObject configFile;
  Vertx vertx;
  Path dataDir;
  SwitchboardNode node;
  WebClient http;
  WebSocketClient webSockets;
  /** How {@link SseClient} connects: over TLS to a node with a certificate. */
  HttpClientOptions sse;

  private TestNode(Map<String, String> overrides) {
    this(new JsonObject(), overrides);
  }

  private TestNode(JsonObject configFile, Map<String, String> overrides) {
    this.configFile = configFile;
    this.overrides = overrides;
  }

  static TestNode start() {
    return start(Map.of());
  }

  static TestNode start(Map<String, String> overrides) {
    return start(temporaryDataDir(), overrides);
  }

  /** Starts a node on {@code dataDir}: unlimited publish rate, short auth timeout, the test secret. */
  static TestNode start(Path dataDir, Map<String, String> overrides) {
    TestNode started = new TestNode(overrides);
    started.boot(dataDir);
    return started;
  }

  /** Starts a node with {@code configFile} as its configuration file. */
  static TestNode start(JsonObject configFile, Map<String, String> overrides) {
    TestNode started = new TestNode(configFile, overrides);
    started.boot(temporaryDataDir());
    return started;
  }

  /** The one node of a test class: fresh for the class, started before its tests and closed after them. */
  static TestNode perClass() {
    return perClass(Map.of());
  }

  static TestNode perClass(Map<String, String> overrides) {
    return new TestNode(overrides);
  }

  /** Like {@link #perClass(Map)}, with {@code configFile} as the node's configuration file. */
  static TestNode perClass(JsonObject configFile, Map<String, String> overrides) {
    return new TestNode(configFile, overrides);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    boot(temporaryDataDir());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (node != null) {
      close();
    }
  }

  private static Path temporaryDataDir() {
    try {
      return Files.createTempDirectory("switchboard-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void boot(Path dataDir) {
    Map<String, String> env = new HashMap<>();
    env.put("SB_HTTP_PORT", "0");
    env.put("SB_HTTP_HOST", "127.0.0.1");
    env.put("SB_DATA_DIR", dataDir.toString());
    env.put("SB_JWT_SECRET", TestTokens.SECRET);
    env.put("SB_DEV_TOKENS", "true");
    env.put("SB_PUBLISH_RATE", "0");
    env.put("SB_AUTH_TIMEOUT", "500ms");
    // The canary's own WebSocket would show in every test's connection, hub and delivery counts; CanaryTest turns it on.
    env.put("SB_CANARY_INTERVAL", "0");
    // Every test runs the edge on two event loops, whatever the machine's cores (docs/ARCHITECTURE.md, Threading).
    env.put("SB_EDGE_LOOPS", "2");
    env.putAll(overrides);
    // Built the way Main builds it: each node its own registry, with Vert.x's metrics reporting to it.
    NodeSettings settings = NodeSettings.resolve(configFile.copy(), env);
    NodeMetrics metrics = NodeMetrics.of(settings.metrics());
    Vertx vertx = metrics.newVertx();
    try {
      node = SwitchboardNode.start(vertx, settings, () -> null, metrics).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("node did not start", e);
    }
    this.vertx = vertx;
    this.dataDir = dataDir;
    // A node with SB_TLS_* is spoken to over TLS; the tests that care which certificate it serves read it.
    boolean tls = env.containsKey("SB_TLS_CERT_FILE");
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(node.httpPort()).setSsl(tls).setTrustAll(tls).setVerifyHost(false));
    webSockets = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(1000)
        .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20).setSsl(tls).setTrustAll(tls).setVerifyHost(false));
    sse = new HttpClientOptions().setSsl(tls).setTrustAll(tls).setVerifyHost(false);
  }

  int port() {
    return node.httpPort();
  }

  /** Opens a WebSocket on {@code /events?query} and waits for the upgrade. */
  WsClient connect(String query) {
    return WsClient.connect(this, "/events?" + query, null);
  }

  WsClient connect(String query, String bearer) {
    return WsClient.connect(this, "/events?" + query, bearer);
  }

  /** POST a JSON body; returns the response. */
  HttpResponse<Buffer> post(String path, String token, JsonObject body) {
    return request(HttpMethod.POST, path, token, body.toBuffer());
  }

  HttpResponse<Buffer> get(String path, String token) {
    return request(HttpMethod.GET, path, token, null);
  }

  HttpResponse<Buffer> request(HttpMethod method, String path, String token, Buffer body) {
    var request = http.request(method, path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return send(request, body);
  }

  /** Sends a request built on {@link #http} and checks its answer against docs/openapi.yaml. */
  static HttpResponse<Buffer> send(HttpRequest<Buffer> request, Buffer body) {
    HttpResponse<Buffer> response;
    try {
      response = (body == null ? request.send() : request.sendBuffer(body)).await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
    }
    return SpecViolations.checked(request, response);
  }

  /** Publishes through REST and returns the eventId; fails the test on any other answer than 201/200. */
  long publish(String token, String sessionId, JsonObject payload) {
    HttpResponse<Buffer> response = post("/sessions/" + sessionId + "/events", token,
        new JsonObject().put("eventType", "test").put("payload", payload));
    if (response.statusCode() != 201 && response.statusCode() != 200) {
      throw new AssertionError("publish answered " + response.statusCode() + " " + response.bodyAsString());
    }
    return Long.parseLong(response.bodyAsJsonObject().getString("eventId"));
  }

  /** {@code GET /metrics} on the HTTP port, checked against openapi.yaml and parsed; fails on any other than 200. */
  PrometheusText scrape() {
    HttpResponse<Buffer> response = get("/metrics", null);
    if (response.statusCode() != 200) {
      throw new AssertionError("GET /metrics answered " + response.statusCode() + " " + response.bodyAsString());
    }
    return PrometheusText.parse(response.bodyAsString());
  }

  @Override
  public void close() {
    try {
      node.stop().compose(v -> vertx.close()).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("node did not stop", e);
    }
  }
}
