package dev.switchboard.server;

import dev.switchboard.auth.AuthConfig;
import dev.switchboard.persistence.PersistenceConfig;
import dev.switchboard.persistence.PgConfig;
import dev.switchboard.presence.PresenceConfig;
import dev.switchboard.protocol.ConfigReader;
import dev.switchboard.protocol.SharedConfig;
import dev.switchboard.realtime.EdgeConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README.md's configuration table is the contract for defaults: what each record reads when a setting is unset is
 * what the table's default column says.
 */
class ReadmeDefaultsTest {

  private static final Pattern CODE = Pattern.compile("`([^`]*)`");

  @Test
  void everyRecordsDefaultIsTheReadmes() throws IOException {
    JsonObject none = new JsonObject();
    SharedConfig shared = SharedConfig.from(none);
    EdgeConfig edge = EdgeConfig.from(none);
    AuthConfig auth = AuthConfig.from(none);
    PresenceConfig presence = PresenceConfig.from(none);
    PersistenceConfig persistence = PersistenceConfig.from(none);
    PgConfig postgres = PgConfig.of("postgresql://localhost/switchboard");
    ClusterSetup cluster = ClusterSetup.from(none);
    NodeSettings node = NodeSettings.resolve(none, Map.of());

    Map<String, List<Object>> defaults = new LinkedHashMap<>();
    defaults.put("SB_HTTP_PORT", List.of(shared.httpPort(), edge.httpPort()));
    defaults.put("SB_HTTP_HOST", List.of(shared.httpHost(), edge.host()));
    defaults.put("SB_DATA_DIR", List.of(persistence.dataDir().toString()));
    defaults.put("SB_APPEND_MAX_BATCH", List.of(persistence.appendMaxBatch()));
    defaults.put("SB_PG_POOL_SIZE", List.of(postgres.poolSize()));
    defaults.put("SB_PG_CONNECT_TIMEOUT", List.of(postgres.connectTimeout()));
    defaults.put("SB_PG_QUERY_TIMEOUT", List.of(postgres.queryTimeout()));
    defaults.put("SB_HISTORY_TTL", List.of(persistence.historyTtl()));
    defaults.put("SB_JWKS_REFRESH", List.of(auth.jwksRefresh()));
    defaults.put("SB_JWT_LEEWAY", List.of(auth.leeway()));
    defaults.put("SB_PUBLISH_RATE", List.of(auth.publishLimit().perMinute(), auth.publishLimit().burst()));
    defaults.put("SB_REDIS_PRESENCE_PREFIX", List.of(presence.keyPrefix()));
    defaults.put("SB_PRESENCE_HEARTBEAT", List.of(shared.presenceHeartbeat(), edge.presenceHeartbeat(),
        presence.heartbeat()));
    defaults.put("SB_PRESENCE_TTL", List.of(presence.ttl()));
    defaults.put("SB_PRESENCE_BROADCAST_MAX", List.of(presence.broadcastMax()));
    defaults.put("SB_POLL_PRESENCE_GRACE", List.of(edge.pollPresenceGrace()));
    defaults.put("SB_HEARTBEAT_SEC", List.of(edge.heartbeatSec()));
    defaults.put("SB_AUTH_TIMEOUT", List.of(edge.authTimeout()));
    defaults.put("SB_CANARY_INTERVAL", List.of(edge.canaryInterval()));
    defaults.put("SB_MAX_FRAME_BYTES", List.of(edge.maxFrameBytes()));
    defaults.put("SB_OUTBOUND_LIMIT_BYTES", List.of(edge.outboundLimitBytes()));
    defaults.put("SB_ALLOWED_ORIGINS", List.of(edge.allowedOrigins()));
    defaults.put("SB_MAX_CONNECTIONS_PER_IP", List.of(edge.connections().maxConnectionsPerIp()));
    defaults.put("SB_HANDSHAKES_PER_SEC", List.of(edge.connections().handshakesPerSec()));
    defaults.put("SB_HTTP_HEADER_TIMEOUT", List.of(edge.connections().headerTimeout()));
    defaults.put("SB_HTTP_BODY_TIMEOUT", List.of(edge.connections().bodyTimeout()));
    defaults.put("SB_HTTP_IDLE_TIMEOUT", List.of(edge.connections().idleTimeout()));
    defaults.put("SB_FD_RESERVE", List.of(edge.connections().fdReserve()));
    defaults.put("SB_MAX_SUBSCRIPTIONS", List.of(edge.maxSubscriptions()));
    defaults.put("SB_MAX_FRAMES_PER_SEC", List.of(edge.maxFramesPerSec()));
    defaults.put("SB_MAX_INBOUND_BYTES_PER_SEC", List.of(edge.maxInboundBytesPerSec()));
    defaults.put("SB_CLUSTER", List.of(node.cluster()));
    defaults.put("SB_CLUSTER_NAME", List.of(cluster.name()));
    defaults.put("SB_CLUSTER_HOST", List.of(cluster.host()));
    defaults.put("SB_CLUSTER_PORT", List.of(cluster.port()));
    defaults.put("SB_EVENTBUS_PORT", List.of(cluster.eventBusPort()));
    defaults.put("SB_DRAIN_GRACE", List.of(node.drainGrace()));
    defaults.put("SB_LOG_FORMAT", List.of(node.logFormat().value()));
    defaults.put("SB_ACCESS_LOG", List.of(edge.accessLog()));
    defaults.put("SB_METRICS", List.of(node.metrics()));
    defaults.put("SB_HTTP2", List.of(edge.http2().enabled()));
    defaults.put("SB_HTTP2_MAX_STREAMS", List.of(edge.http2().maxStreams()));
    defaults.put("SB_HTTP2_STREAM_WINDOW_BYTES", List.of(edge.http2().streamWindowBytes()));
    defaults.put("SB_HTTP2_CONNECTION_WINDOW_BYTES", List.of(edge.http2().connectionWindowBytes()));
    defaults.put("SB_HTTP2_MAX_HEADER_LIST_BYTES", List.of(edge.http2().maxHeaderListBytes()));
    defaults.put("SB_WS_COMPRESSION", List.of(edge.compression().webSocket()));
    defaults.put("SB_WS_COMPRESSION_LEVEL", List.of(edge.compression().webSocketLevel()));
    defaults.put("SB_HTTP_COMPRESSION", List.of(edge.compression().http()));

    Map<String, String> documented = defaultColumn();
    defaults.forEach((setting, values) -> {
      String cell = documented.get(setting);
      assertNotNull(cell, setting + " has no row in README.md's configuration table");
      List<String> written = codeSpans(cell);
      // One value per code span ("`100` / `20`"), or one value that every reader of the setting shares.
      for (int i = 0; i < values.size(); i++) {
        String text = written.get(written.size() == values.size() ? i : 0);
        assertEquals(parse(text, values.get(i)), values.get(i), setting + ": README.md says " + cell);
      }
    });
  }

  @Test
  void theDefaultsInWordsHoldToo() throws IOException {
    Map<String, String> documented = defaultColumn();
    assertEquals("all", documented.get("SB_ROLES"));
    assertEquals(Role.values().length, NodeSettings.resolve(new JsonObject(), Map.of()).roles().size());
    assertEquals("`true` only when no key is configured", documented.get("SB_DEV_TOKENS"));
    assertTrue(SharedConfig.from(new JsonObject()).devTokens());
    assertTrue(EdgeConfig.from(new JsonObject()).devTokens());
    assertTrue(AuthConfig.from(new JsonObject()).devTokens());
    for (String tls : List.of("SB_EVENTBUS_TLS_CERT_FILE", "SB_EVENTBUS_TLS_KEY_FILE", "SB_EVENTBUS_TLS_CA_FILE")) {
      assertTrue(documented.get(tls).startsWith("unset"), tls + ": README.md says " + documented.get(tls));
    }
    assertEquals(null, ClusterSetup.from(new JsonObject()).eventBusTls(), "no event bus TLS unless configured");
    for (String tls : List.of("SB_TLS_CERT_FILE", "SB_TLS_KEY_FILE", "SB_TLS_CA_FILE")) {
      assertTrue(documented.get(tls).startsWith("unset"), tls + ": README.md says " + documented.get(tls));
    }
    assertEquals(null, EdgeConfig.from(new JsonObject()).tls(), "plain HTTP unless a certificate is configured");
    assertTrue(documented.get("SB_INTERNAL_PORT").startsWith("unset"), "SB_INTERNAL_PORT: " + documented);
    assertEquals("the available processors", documented.get("SB_EDGE_LOOPS"));
    assertEquals(Runtime.getRuntime().availableProcessors(), EdgeConfig.from(new JsonObject()).edgeLoops());
    assertEquals(null, NodeSettings.resolve(new JsonObject(), Map.of()).internalPort(), "no internal port unless set");
    JsonObject withKey = new JsonObject().put("SB_JWKS", "/keys/jwks.json");
    assertEquals(false, EdgeConfig.from(withKey).devTokens());
    assertEquals(false, AuthConfig.from(withKey).devTokens());
  }

  private static Object parse(String text, Object like) {
    if (like instanceof Integer) {
      return Integer.parseInt(text);
    } else if (like instanceof Boolean) {
      return Boolean.parseBoolean(text);
    } else if (like instanceof Duration) {
      return ConfigReader.parseDuration(text);
    }
    return text;
  }

  private static List<String> codeSpans(String cell) {
    List<String> spans = new ArrayList<>();
    Matcher matcher = CODE.matcher(cell);
    while (matcher.find()) {
      spans.add(matcher.group(1));
    }
    return spans;
  }

  /** README.md's configuration table: the first setting of each row, and its last column. */
  private static Map<String, String> defaultColumn() throws IOException {
    Map<String, String> column = new HashMap<>();
    for (String line : KubernetesManifests.read("README.md").lines().filter(l -> l.startsWith("| `SB_")).toList()) {
      String setting = codeSpans(line.substring(0, line.indexOf('|', 1))).get(0);
      String trimmed = line.trim();
      column.put(setting, trimmed.substring(trimmed.lastIndexOf('|', trimmed.length() - 2) + 1,
          trimmed.length() - 1).trim());
    }
    return column;
  }
}
