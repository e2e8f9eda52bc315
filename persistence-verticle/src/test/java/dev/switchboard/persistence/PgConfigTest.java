package dev.switchboard.persistence;

import dev.switchboard.protocol.ConfigReader;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PgConfigTest {

  private static final String URL = "postgresql://sb:s3cret@db.internal:6543/events";

  @TempDir
  Path dir;

  @Test
  void isAbsentWithoutAUrl() {
    assertNull(PgConfig.from(new ConfigReader(new JsonObject().put("SB_PG_POOL_SIZE", "8"))));
  }

  @Test
  void readsTheSbPgKeys() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "not parsed until a connection is made");

    PgConfig config = PgConfig.from(new ConfigReader(new JsonObject().put("SB_PG_URL", URL)
        .put("SB_PG_POOL_SIZE", "16").put("SB_PG_CONNECT_TIMEOUT", "2s").put("SB_PG_QUERY_TIMEOUT", "500ms")
        .put("SB_PG_CA_FILE", ca.toString())));

    assertEquals(new PgConfig(URL, 16, Duration.ofSeconds(2), Duration.ofMillis(500), ca), config);
    assertEquals(16, config.poolOptions().getMaxSize());
    assertEquals(PgConfig.MAX_WAITING_REQUESTS, config.poolOptions().getMaxWaitQueueSize());
    assertEquals(2000, config.netOptions().getConnectTimeout());
  }

  @Test
  void connectsWhereTheUrlSaysWithoutTlsByDefault() {
    PgConnectOptions options = PgConfig.of(URL).connectOptions();

    assertEquals("db.internal", options.getHost());
    assertEquals(6543, options.getPort());
    assertEquals("events", options.getDatabase());
    assertEquals("sb", options.getUser());
    assertEquals("s3cret", options.getPassword());
    assertEquals(SslMode.DISABLE, options.getSslMode());
    assertEquals("read committed", options.getProperties().get("default_transaction_isolation"));
    assertEquals("switchboard", options.getProperties().get("application_name"));
    assertEquals("events-eu", PgConfig.of(URL + "?application_name=events-eu").connectOptions().getProperties()
        .get("application_name"));
  }

  @Test
  void encryptsWithoutVerifyingForSslModeRequireWithoutACaFile() {
    PgConnectOptions options = PgConfig.of(URL + "?sslmode=require").connectOptions();

    assertEquals(SslMode.REQUIRE, options.getSslMode());
    assertTrue(options.getSslOptions().isTrustAll());
  }

  @Test
  void verifiesTheCertificateAndHostForVerifyFull() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----");
    PgConfig config = new PgConfig(URL + "?sslmode=verify-full", 4, Duration.ofSeconds(1), Duration.ofSeconds(1), ca);

    PgConnectOptions options = config.connectOptions();

    assertEquals(SslMode.VERIFY_FULL, options.getSslMode());
    assertFalse(options.getSslOptions().isTrustAll());
    assertEquals("HTTPS", options.getSslOptions().getHostnameVerificationAlgorithm());
    assertEquals(List.of(ca.toString()), ((PemTrustOptions) options.getSslOptions().getTrustOptions()).getCertPaths());
  }

  @Test
  void refusesVerifyingModesWithoutACaFile() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> PgConfig.of(URL + "?sslmode=verify-ca"));

    assertTrue(refused.getMessage().contains("SB_PG_CA_FILE"), refused.getMessage());
  }

  @Test
  void refusesABadUrlWithoutRepeatingItsPassword() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> PgConfig.of("postgresql://sb:s3cret@db.internal:99999/events"));

    assertTrue(refused.getMessage().contains("SB_PG_URL"), refused.getMessage());
    assertFalse(refused.getMessage().contains("s3cret"), refused.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new PgConfig(URL, 0, Duration.ofSeconds(1), Duration.ofSeconds(1), null));
  }

  @Test
  void neverPrintsThePassword() {
    String text = PgConfig.of(URL).toString();

    assertFalse(text.contains("s3cret"), text);
    assertTrue(text.contains("postgresql://sb:<redacted>@db.internal:6543/events"), text);
  }
}
