package dev.switchboard.server;

import dev.switchboard.realtime.EdgeConfig;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edge over TLS (SB_TLS_CERT_FILE, SB_TLS_KEY_FILE) on its two test loops: wss:// and https:// clients, the
 * probes, a certificate rotated on disk while connections stay open, and plain HTTP on the TLS port.
 */
class EdgeTlsTest {

  private static final String SESSION = "tls-room";
  private static final String NODE_ID = "tls-node";
  private static Path dir;
  private static SelfSignedFiles served;
  private static TestNode node;
  private static String token;

  @BeforeAll
  static void startNode() throws Exception {
    dir = Files.createTempDirectory("switchboard-tls");
    // An EC key first; the rotation brings an RSA one.
    SelfSignedFiles first = SelfSignedFiles.create(dir, "first", "EC");
    served = new SelfSignedFiles(dir.resolve("tls.crt"), dir.resolve("tls.key"));
    Files.copy(first.cert(), served.cert());
    Files.copy(first.key(), served.key());
    // The canary on: its loopback WebSocket must speak TLS too.
    node = TestNode.start(Map.of("SB_TLS_CERT_FILE", served.cert().toString(),
        "SB_TLS_KEY_FILE", served.key().toString(), "SB_NODE_ID", NODE_ID, "SB_CANARY_INTERVAL", "200ms"));
    token = TestTokens.user("alice", List.of(SESSION), List.of(SESSION));
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @Test
  void healthAnswersOverTls() {
    assertTrue(servedSubject().startsWith("CN="));
  }

  @Test
  void theDeliveryCanaryReachesItsEdgeOverTls() throws Exception {
    long deadline = System.currentTimeMillis() + 20_000;
    double arrived = 0;
    while (arrived < 3 && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
      arrived = node.scrape().value("switchboard_canary_seconds_count", "source", NODE_ID);
    }
    assertTrue(arrived >= 3, "canaries arrived: " + arrived);
  }

  @Test
  void keysInPkcs1AndSec1FormAreServedAsPkcs8Ones() throws Exception {
    rotate(SelfSignedFiles.create(dir, "pkcs1", "RSA").traditional("RSA"));
    awaitServed("CN=pkcs1");
    rotate(SelfSignedFiles.create(dir, "sec1", "EC").traditional("EC"));
    awaitServed("CN=sec1");
  }

  @Test
  void aWssAndAnHttpsSseClientGetEveryEventThroughACertificateRotation() throws Exception {
    String subject = servedSubject();
    long before = node.publish(token, SESSION, new JsonObject().put("n", 1));
    try (WsClient ws = node.connect("sessionId=" + SESSION + "&fromEventId=0&access_token=" + token);
         SseClient sse = SseClient.open(node, "/events?sessionId=" + SESSION + "&fromEventId=0&access_token=" + token,
             Map.of())) {
      assertTrue(ws.socket().isSsl() && sse.response.request().connection().isSsl());
      assertEquals(before, Long.parseLong(ws.next("event").getString("eventId")));
      assertEquals(before, Long.parseLong(sse.next("event").getString("eventId")));

      rotate(SelfSignedFiles.create(dir, "second", "RSA"));
      awaitServed("CN=second");

      long after = node.publish(token, SESSION, new JsonObject().put("n", 2));
      assertEquals(after, Long.parseLong(ws.next("event").getString("eventId")), "the open WebSocket keeps receiving");
      assertEquals(after, Long.parseLong(sse.next("event").getString("eventId")), "the open stream keeps receiving");
      assertFalse(ws.isClosed());
      assertEquals(subject, subjectOf((X509Certificate) ws.socket().peerCertificates().get(0)),
          "the open WebSocket is the one made with the old certificate");
    }
  }

  @Test
  void aCertificateWithoutItsKeyIsRefusedAtStart() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> EdgeConfig.from(
        new JsonObject().put("SB_TLS_CERT_FILE", served.cert().toString())));
    assertTrue(refused.getMessage().endsWith("missing SB_TLS_KEY_FILE"), refused.getMessage());
  }

  @Test
  void plainHttpOnTheTlsPortIsClosedWithoutAnAnswerAndTheNodeKeepsServing() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", node.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(readToEnd(socket.getInputStream()), StandardCharsets.ISO_8859_1);
      assertFalse(answer.startsWith("HTTP/"), "a plain answer on the TLS port: " + answer);
    }
    assertEquals(200, node.get("/health", null).statusCode());
  }

  /** Waits until a fresh connection is served the certificate named {@code subject}. */
  private static void awaitServed(String subject) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    String served = servedSubject();
    while (!served.equals(subject) && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
      served = servedSubject();
    }
    assertEquals(subject, served, "the next handshake gets the new certificate");
    // Each fresh connection goes to the next loop in turn: every loop's server serves the new one.
    for (int i = 0; i < 4; i++) {
      assertEquals(subject, servedSubject(), "connection " + i + " after the rotation");
    }
  }

  /** Replaces the served files as a secret mount does: each file swapped whole. */
  private static void rotate(SelfSignedFiles next) throws Exception {
    Files.move(next.key(), served.key(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.move(next.cert(), served.cert(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The subject of the certificate a fresh connection is served, read from a {@code GET /health} that answers 200. */
  private static String servedSubject() {
    HttpClient client = node.vertx.createHttpClient(node.sse);
    try {
      HttpClientResponse response = client.request(HttpMethod.GET, node.port(), "127.0.0.1", "/health")
          .compose(request -> request.send())
          .await(10, TimeUnit.SECONDS);
      assertEquals(200, response.statusCode());
      return subjectOf((X509Certificate) response.request().connection().peerCertificates().get(0));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      client.close();
    }
  }

  private static String subjectOf(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName();
  }

  /** What the server sends before it closes; a reset counts as closed. */
  private static byte[] readToEnd(InputStream in) throws Exception {
    try {
      return in.readAllBytes();
    } catch (SocketException reset) {
      return new byte[0];
    }
  }
}
