package dev.switchboard.server;

import dev.switchboard.realtime.EdgeConfig;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The internal port (SB_INTERNAL_PORT) over TLS with SB_TLS_CA_FILE: {@code /metrics} for clients whose certificate
 * the CA signed, the probes for anyone, and no metrics for a certificate of another CA.
 */
class InternalPortTlsTest {

  private static TestNode node;
  private static TestCa ca;
  private static Path dir;

  @BeforeAll
  static void startNode() throws Exception {
    dir = Files.createTempDirectory("switchboard-internal-tls");
    SelfSignedFiles served = SelfSignedFiles.create(dir, "internal", "EC");
    ca = TestCa.create(dir, "scrapers");
    node = TestNode.start(Map.of("SB_TLS_CERT_FILE", served.cert().toString(),
        "SB_TLS_KEY_FILE", served.key().toString(), "SB_TLS_CA_FILE", ca.cert().toString(),
        "SB_INTERNAL_PORT", "0"));
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @Test
  void metricsAnswerAClientWhoseCertificateTheCaSigned() throws Exception {
    HttpClient prometheus = client(ca.client("prometheus"));
    try {
      assertEquals(200, status(prometheus, "/metrics"));
    } finally {
      prometheus.close();
    }
  }

  @Test
  void withoutACertificateTheProbesAnswerAndTheMetricsAreForbidden() throws Exception {
    HttpClient kubelet = client(null);
    try {
      assertEquals(200, status(kubelet, "/health"));
      assertEquals(403, status(kubelet, "/metrics"));
    } finally {
      kubelet.close();
    }
  }

  @Test
  void aCertificateOfAnotherCaGetsNoMetrics() throws Exception {
    Path other = Files.createDirectories(dir.resolve("other"));
    HttpClient stranger = client(TestCa.create(other, "strangers").client("stranger"));
    try {
      // The JDK's client offers only a certificate of a CA the server names, so it sends none here; a client that
      // sent it anyway would fail the handshake.
      assertEquals(403, status(stranger, "/metrics"));
    } finally {
      stranger.close();
    }
  }

  @Test
  void aCaWithoutTheEdgesCertificateRefusesTheStart() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> EdgeConfig.from(new JsonObject().put("SB_TLS_CA_FILE", ca.cert().toString())));
    assertTrue(refused.getMessage().startsWith("SB_TLS_CA_FILE needs"), refused.getMessage());
  }

  private static HttpClient client(Path keyStore) {
    HttpClientOptions options = new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false);
    if (keyStore != null) {
      options.setKeyCertOptions(new PfxOptions().setPath(keyStore.toString()).setPassword(TestCa.PASSWORD));
    }
    return node.vertx.createHttpClient(options);
  }

  private static int status(HttpClient client, String path) throws Exception {
    return client.request(HttpMethod.GET, node.node.internalPort(), "127.0.0.1", path)
        .compose(HttpClientRequest::send).await(10, TimeUnit.SECONDS).statusCode();
  }
}
