package dev.switchboard.server;

import dev.switchboard.testsupport.NodeProcess;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SB_EVENTBUS_TLS_*: all three or none, files that fit together, and TLS with client certificates on both ends of the
 * event bus (the refusal of a member of another CA is ClusterTlsTest's, with three processes).
 */
class EventBusTlsTest {

  private static final String CERT = "SB_EVENTBUS_TLS_CERT_FILE";
  private static final String KEY = "SB_EVENTBUS_TLS_KEY_FILE";
  private static final String CA = "SB_EVENTBUS_TLS_CA_FILE";

  @Test
  void withoutTheSettingsTheEventBusRunsInClear() {
    ClusterSetup setup = ClusterSetup.from(new JsonObject());
    assertNull(setup.eventBusTls());
    assertFalse(setup.eventBusOptions().isSsl());
  }

  @Test
  void someButNotAllOfTheSettingsAreRefusedNamingWhatIsMissing() throws Exception {
    JsonObject all = settings("member", "cluster-ca.pem");
    for (String left : List.of(CERT, KEY, CA)) {
      JsonObject partial = all.copy();
      partial.remove(left);
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> ClusterSetup.from(partial));
      assertTrue(refused.getMessage().contains("all three") && refused.getMessage().endsWith("missing " + left),
          refused.getMessage());
    }
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> ClusterSetup.from(new JsonObject().put(CA, all.getString(CA))));
    assertTrue(refused.getMessage().endsWith("missing " + CERT + " and " + KEY), refused.getMessage());
  }

  @Test
  void bothEndsOfTheEventBusPresentTheCertificateAndRequireOneFromTheCa() throws Exception {
    JsonObject config = settings("member", "cluster-ca.pem");
    EventBusOptions options = ClusterSetup.from(config).eventBusOptions();
    // Vert.x builds the event bus server and client from these options' JSON (ClusteredEventBus): check what they get.
    NetServerOptions server = new NetServerOptions(options.toJson());
    NetClientOptions client = new NetClientOptions(options.toJson());
    for (var end : List.of(server, client)) {
      assertTrue(end.isSsl());
      assertEquals(List.of(config.getString(CERT)), ((PemKeyCertOptions) end.getKeyCertOptions()).getCertPaths());
      assertEquals(List.of(config.getString(KEY)), ((PemKeyCertOptions) end.getKeyCertOptions()).getKeyPaths());
      assertEquals(List.of(config.getString(CA)), ((PemTrustOptions) end.getTrustOptions()).getCertPaths());
      assertEquals(Set.of("TLSv1.2", "TLSv1.3"), end.getEnabledSecureTransportProtocols(), "TLS 1.2 and 1.3 only");
    }
    assertEquals(ClientAuth.REQUIRED, server.getClientAuth(), "a member without a certificate is refused");
    assertFalse(client.isTrustAll(), "a member connects only to members whose certificate comes from the CA");
  }

  @Test
  void filesThatDoNotFitTogetherStopTheNodeWithoutShowingWhatTheyHold(@TempDir Path dir) throws Exception {
    String key = Files.readString(file("member.key"));
    assertRefused(settings("member", "cluster-ca.pem").put(KEY, file("rogue.key").toString()),
        "is not the key of the first certificate");
    assertRefused(settings("member", "other-ca.pem"), "does not verify against " + CA);
    assertRefused(settings("rogue", "cluster-ca.pem"), "does not verify against " + CA);
    assertRefused(settings("server-only", "cluster-ca.pem"), "must allow both serverAuth and clientAuth");
    assertRefused(settings("member", "cluster-ca.pem").put(CERT, file("member.key").toString()),
        "is not a file of PEM certificates");
    assertRefused(settings("member", "cluster-ca.pem").put(CA, dir.resolve("none.pem").toString()),
        CA + " is not a readable file");
    Path sec1 = Files.writeString(dir.resolve("sec1.key"), key.replace("PRIVATE KEY", "EC PRIVATE KEY"));
    String message = assertRefused(settings("member", "cluster-ca.pem").put(KEY, sec1.toString()),
        "holds a PEM 'EC PRIVATE KEY' block; the node reads PKCS#8 ('PRIVATE KEY'); convert it with: openssl pkey");
    Path encrypted = Files.writeString(dir.resolve("encrypted.key"), key.replace("PRIVATE KEY",
        "ENCRYPTED PRIVATE KEY"));
    assertRefused(settings("member", "cluster-ca.pem").put(KEY, encrypted.toString()), "is encrypted");
    String body = key.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
    assertFalse(message.contains(body.substring(0, 16)), "the message shows the key: " + message);
  }

  @Test
  void aNodeGivenSomeOfTheSettingsDoesNotStart(@TempDir Path logs) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("SB_CLUSTER", "true", "SB_PG_URL",
        "postgresql://127.0.0.1:1/none", "SB_JWT_SECRET", TestTokens.SECRET, CERT, file("member.pem").toString()));
    ProcessBuilder builder = new ProcessBuilder(NodeProcess.onThisClassPath("dev.switchboard.server.Main"));
    builder.environment().keySet().removeIf(name -> name.startsWith("SB_"));
    builder.environment().putAll(env);
    Path output = logs.resolve("node.log");
    Process node = builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
    try {
      assertTrue(node.waitFor(60, TimeUnit.SECONDS), "the node still runs");
      assertEquals(2, node.exitValue());
      assertTrue(Files.readString(output).contains("missing " + KEY + " and " + CA), Files.readString(output));
    } finally {
      node.destroyForcibly();
    }
  }

  private static String assertRefused(JsonObject config, String expected) {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ClusterSetup.from(config));
    assertTrue(refused.getMessage().contains(expected), refused.getMessage());
    return refused.getMessage();
  }

  /** The three settings, for the {@code credentials} certificate and key of the test files and {@code caFile}. */
  private static JsonObject settings(String credentials, String caFile) throws Exception {
    return new JsonObject().put(CERT, file(credentials + ".pem").toString())
        .put(KEY, file(credentials + ".key").toString()).put(CA, file(caFile).toString());
  }

  private static Path file(String name) throws Exception {
    return Path.of(EventBusTlsTest.class.getResource("/eventbus-tls/" + name).toURI());
  }
}
