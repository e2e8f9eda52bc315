package dev.switchboard.realtime;

import dev.switchboard.protocol.ConfigReader;
import dev.switchboard.protocol.SharedConfig;
import dev.switchboard.protocol.SharedConfig.RoleName;
import dev.switchboard.realtime.http.Compression;
import dev.switchboard.realtime.http.ConnectionRules;
import dev.switchboard.realtime.tls.Http2Limits;
import dev.switchboard.realtime.tls.TlsFiles;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/**
 * The edge's settings, read from the {@code SB_*} keys of its verticle config; those other roles read too come from
 * {@link SharedConfig}.
 *
 * @param host the address the HTTP server binds ({@code SB_HTTP_HOST}, from {@link SharedConfig})
 * @param httpPort its port ({@code SB_HTTP_PORT}, from {@link SharedConfig}), 0 for any free port
 * @param roles the roles running in this process ({@code SB_ROLES}, from {@link SharedConfig}): requests to them stay
 *              in the process
 * @param nodeId this process's id in presence and logs
 * @param heartbeatSec the WebSocket ping interval; a client silent for two intervals is closed
 * @param maxFrameBytes largest client frame or REST body; larger WebSocket frames close with 1009
 * @param outboundLimitBytes per-connection outbound queue; a connection past it is closed with 4009
 * @param authTimeout how long a WebSocket without a token may take to send its {@code auth} frame
 * @param replayPage events per {@code events.replay} page while a subscriber catches up (not a setting:
 *                   {@link #REPLAY_PAGE})
 * @param devTokens whether {@code POST /dev/token} is mounted ({@code SB_DEV_TOKENS}, from {@link SharedConfig})
 * @param maxNesting how deep a published payload may nest (not a setting: {@link #MAX_NESTING})
 * @param maxSubscriptions sessions one connection may subscribe to
 * @param maxFramesPerSec client frames one connection may send per second (twice that in a burst); a connection
 *                        that keeps sending past its budget is closed with 4008
 * @param maxInboundBytesPerSec bytes of client frames one connection, and one user across connections, may send per
 *                              second (twice that in a burst), charged before a frame is parsed
 * @param apiKey the server API key ({@code SB_API_KEY}), or null; never printed
 * @param allowedOrigins browser origins allowed ({@code SB_ALLOWED_ORIGINS}, comma-separated, {@code *} for any)
 * @param connections the rules for client connections: per-address limits, deadlines, trusted proxies
 * @param presenceHeartbeat how often this node refreshes the presence of all its connections in one message
 *                          ({@code SB_PRESENCE_HEARTBEAT}, from {@link SharedConfig}); presence expires connections
 *                          not refreshed for {@code SB_PRESENCE_TTL}
 * @param pollPresenceGrace how long a long-polling user stays present after their last poll of a session ended
 *                          ({@code SB_POLL_PRESENCE_GRACE})
 * @param canaryInterval how often the delivery canary publishes ({@code SB_CANARY_INTERVAL}); zero turns it off
 * @param accessLog whether every HTTP request gets a line in the access log ({@code SB_ACCESS_LOG};
 *                  {@link dev.switchboard.realtime.http.AccessLog})
 * @param edgeLoops how many event loops the edge runs on ({@code SB_EDGE_LOOPS}, default the available processors;
 *                  docs/ARCHITECTURE.md, Threading)
 * @param tls the edge's certificate and key files ({@code SB_TLS_CERT_FILE}, {@code SB_TLS_KEY_FILE}), or null for
 *            plain HTTP
 * @param http2 HTTP/2 through ALPN on the TLS port, and its limits ({@code SB_HTTP2*})
 * @param compression what the edge compresses ({@code SB_WS_COMPRESSION*}, {@code SB_HTTP_COMPRESSION})
 */
public record EdgeConfig(String host, int httpPort, Set<RoleName> roles, String nodeId, int heartbeatSec,
                         int maxFrameBytes, int outboundLimitBytes, Duration authTimeout, int replayPage,
                         boolean devTokens, int maxNesting, int maxSubscriptions, int maxFramesPerSec,
                         int maxInboundBytesPerSec, String apiKey,
                         String allowedOrigins, ConnectionRules connections,
                         Duration presenceHeartbeat, Duration pollPresenceGrace, boolean accessLog,
                         Duration canaryInterval, int edgeLoops, TlsFiles tls, Http2Limits http2,
                         Compression compression) {

  public static final int DEFAULT_HEARTBEAT_SEC = 5;
  public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
  /** Smaller frames could not hold an ordinary publish. */
  public static final int MIN_FRAME_BYTES = 1024;
  public static final int DEFAULT_OUTBOUND_LIMIT_BYTES = 1024 * 1024;
  public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(5);
  /** Events per replay page while a subscriber catches up (docs/ARCHITECTURE.md, Subscribe and resume). */
  public static final int REPLAY_PAGE = 500;
  public static final int MAX_REPLAY_PAGE = 1000;
  /** How deep a payload may nest (docs/PROTOCOL.md, Limits). */
  public static final int MAX_NESTING = 64;
  public static final int DEFAULT_MAX_SUBSCRIPTIONS = 100;
  public static final int DEFAULT_MAX_FRAMES_PER_SEC = 100;
  public static final int DEFAULT_MAX_INBOUND_BYTES_PER_SEC = 256 * 1024;
  public static final String ANY_ORIGIN = "*";
  public static final Duration DEFAULT_POLL_PRESENCE_GRACE = Duration.ofSeconds(15);
  public static final Duration MIN_POLL_PRESENCE_GRACE = Duration.ofMillis(100);
  public static final Duration DEFAULT_CANARY_INTERVAL = Duration.ofSeconds(10);
  /** Shorter rounds would leave a canary no time to arrive before it counts as missed. */
  public static final Duration MIN_CANARY_INTERVAL = Duration.ofMillis(100);
  /**
   * On: the requests are what an operator asks about first, a line costs one per request, and events delivered over
   * WebSockets, SSE streams and long polls never add one (docs/ARCHITECTURE.md, Logs).
   */
  public static final boolean DEFAULT_ACCESS_LOG = true;
  /** More loops than this would only share threads. */
  public static final int MAX_EDGE_LOOPS = 256;

  public EdgeConfig {
    SharedConfig.requireHttpPort(httpPort);
    if (roles == null || roles.isEmpty()) {
      throw new IllegalArgumentException("SB_ROLES names no role");
    }
    roles = Set.copyOf(roles);
    if (heartbeatSec < 1) {
      throw new IllegalArgumentException("SB_HEARTBEAT_SEC must be at least 1");
    }
    if (maxFrameBytes < MIN_FRAME_BYTES) {
      throw new IllegalArgumentException("SB_MAX_FRAME_BYTES must be at least " + MIN_FRAME_BYTES);
    }
    if (outboundLimitBytes < maxFrameBytes) {
      throw new IllegalArgumentException("SB_OUTBOUND_LIMIT_BYTES must be at least SB_MAX_FRAME_BYTES");
    }
    if (replayPage < 1 || replayPage > MAX_REPLAY_PAGE) {
      throw new IllegalArgumentException("replay page must be 1-" + MAX_REPLAY_PAGE);
    }
    if (maxSubscriptions < 1 || maxFramesPerSec < 1) {
      throw new IllegalArgumentException("SB_MAX_SUBSCRIPTIONS and SB_MAX_FRAMES_PER_SEC must be at least 1");
    }
    if (2L * maxInboundBytesPerSec < maxFrameBytes) {
      // A bucket holds two seconds' worth: smaller, and the largest allowed frame could never be sent.
      throw new IllegalArgumentException("SB_MAX_INBOUND_BYTES_PER_SEC must be at least half of SB_MAX_FRAME_BYTES");
    }
    SharedConfig.requirePresenceHeartbeat(presenceHeartbeat);
    if (pollPresenceGrace == null || pollPresenceGrace.compareTo(MIN_POLL_PRESENCE_GRACE) < 0) {
      throw new IllegalArgumentException("SB_POLL_PRESENCE_GRACE must be at least "
          + MIN_POLL_PRESENCE_GRACE.toMillis() + "ms");
    }
    if (canaryInterval == null || canaryInterval.isNegative()
        || (!canaryInterval.isZero() && canaryInterval.compareTo(MIN_CANARY_INTERVAL) < 0)) {
      throw new IllegalArgumentException("SB_CANARY_INTERVAL must be 0 (off) or at least "
          + MIN_CANARY_INTERVAL.toMillis() + "ms");
    }
    if (edgeLoops < 1 || edgeLoops > MAX_EDGE_LOOPS) {
      throw new IllegalArgumentException("SB_EDGE_LOOPS must be 1-" + MAX_EDGE_LOOPS);
    }
  }

  /** Whether the delivery canary runs. */
  public boolean canaryOn() {
    return !canaryInterval.isZero();
  }

  @Override
  public String toString() {
    return "EdgeConfig[host=" + host + ", httpPort=" + httpPort + ", nodeId=" + nodeId + ", heartbeatSec="
        + heartbeatSec + ", maxFrameBytes=" + maxFrameBytes + ", apiKey=" + (apiKey == null ? "<unset>" : "<redacted>")
        + ", accessLog=" + accessLog + ", edgeLoops=" + edgeLoops + ", tls=" + (tls != null) + ", http2=" + http2 + ", compression=" + compression + "]";
  }

  public static EdgeConfig from(JsonObject json) {
    ConfigReader config = new ConfigReader(json);
    SharedConfig shared = SharedConfig.from(json);
    return new EdgeConfig(
        shared.httpHost(),
        shared.httpPort(),
        shared.roles(),
        config.string("SB_NODE_ID", randomNodeId()),
        config.integer("SB_HEARTBEAT_SEC", DEFAULT_HEARTBEAT_SEC),
        config.integer("SB_MAX_FRAME_BYTES", DEFAULT_MAX_FRAME_BYTES),
        config.integer("SB_OUTBOUND_LIMIT_BYTES", DEFAULT_OUTBOUND_LIMIT_BYTES),
        config.duration("SB_AUTH_TIMEOUT", DEFAULT_AUTH_TIMEOUT),
        REPLAY_PAGE,
        shared.devTokens(),
        MAX_NESTING,
        config.integer("SB_MAX_SUBSCRIPTIONS", DEFAULT_MAX_SUBSCRIPTIONS),
        config.integer("SB_MAX_FRAMES_PER_SEC", DEFAULT_MAX_FRAMES_PER_SEC),
        config.integer("SB_MAX_INBOUND_BYTES_PER_SEC", DEFAULT_MAX_INBOUND_BYTES_PER_SEC),
        config.string("SB_API_KEY", null),
        config.string("SB_ALLOWED_ORIGINS", ANY_ORIGIN),
        ConnectionRules.from(config),
        shared.presenceHeartbeat(),
        config.duration("SB_POLL_PRESENCE_GRACE", DEFAULT_POLL_PRESENCE_GRACE),
        config.bool("SB_ACCESS_LOG", DEFAULT_ACCESS_LOG),
        config.duration("SB_CANARY_INTERVAL", DEFAULT_CANARY_INTERVAL),
        config.integer("SB_EDGE_LOOPS", Runtime.getRuntime().availableProcessors()),
        TlsFiles.from(config),
        Http2Limits.from(config),
        Compression.from(config));
  }

  /** {@code SB_NODE_ID}'s default: {@code node-} and 8 random hex digits. */
  private static String randomNodeId() {
    return "node-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
