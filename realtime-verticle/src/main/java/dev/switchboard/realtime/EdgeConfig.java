package dev.switchboard.realtime;

import dev.switchboard.protocol.ConfigReader;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.UUID;

/**
 * The edge's settings, read from the {@code SB_*} keys of its verticle config.
 *
 * @param nodeId this process's id in presence and logs
 * @param maxFrameBytes largest client frame or REST body; larger WebSocket frames close with 1009
 * @param outboundLimitBytes per-connection outbound queue; a connection past it is closed with 4009
 * @param authTimeout how long a WebSocket without a token may take to send its {@code auth} frame
 * @param replayPage events per {@code events.replay} page while a subscriber catches up
 * @param maxSubscriptions sessions one connection may subscribe to
 * @param maxFramesPerSec client frames one connection may send per second (twice that in a burst); a connection
 *                        that keeps sending past its budget is closed with 4008
 * @param apiKey the server API key ({@code SB_API_KEY}), or null; never printed
 * @param allowedOrigins browser origins allowed ({@code SB_ALLOWED_ORIGINS}, comma-separated, {@code *} for any)
 * @param maxConnectionsPerIp WebSockets and SSE streams one client address may hold
 * @param handshakesPerSec new WebSockets and SSE streams one client address may open per second
 * @param presenceHeartbeat how often this node refreshes the presence of all its connections in one message
 *                          ({@code SB_PRESENCE_HEARTBEAT}); presence expires connections not refreshed for
 *                          {@code SB_PRESENCE_TTL}
 * @param pollPresenceGrace how long a long-polling user stays present after their last poll of a session ended
 *                          ({@code SB_POLL_PRESENCE_GRACE})
 */
public record EdgeConfig(String host, int httpPort, String nodeId, int heartbeatSec, int maxFrameBytes,
                         int outboundLimitBytes, Duration authTimeout, int replayPage, boolean devTokens,
                         int maxNesting, int maxSubscriptions, int maxFramesPerSec, String apiKey, String allowedOrigins, int maxConnectionsPerIp,
                         int handshakesPerSec, Duration presenceHeartbeat, Duration pollPresenceGrace) {

  public EdgeConfig {
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("SB_HTTP_PORT must be 0-65535, got " + httpPort);
    }
    if (heartbeatSec < 1) {
      throw new IllegalArgumentException("SB_HEARTBEAT_SEC must be at least 1");
    }
    if (maxFrameBytes < 1024) {
      throw new IllegalArgumentException("SB_MAX_FRAME_BYTES must be at least 1024");
    }
    if (outboundLimitBytes < maxFrameBytes) {
      throw new IllegalArgumentException("SB_OUTBOUND_LIMIT_BYTES must be at least SB_MAX_FRAME_BYTES");
    }
    if (replayPage < 1 || replayPage > 1000) {
      throw new IllegalArgumentException("replay page must be 1-1000");
    }
    if (maxConnectionsPerIp < 1 || handshakesPerSec < 1) {
      throw new IllegalArgumentException("SB_MAX_CONNECTIONS_PER_IP and SB_HANDSHAKES_PER_SEC must be at least 1");
    }
    if (maxSubscriptions < 1 || maxFramesPerSec < 1) {
      throw new IllegalArgumentException("SB_MAX_SUBSCRIPTIONS and SB_MAX_FRAMES_PER_SEC must be at least 1");
    }
    if (presenceHeartbeat.toMillis() < 100 || pollPresenceGrace.toMillis() < 100) {
      throw new IllegalArgumentException("SB_PRESENCE_HEARTBEAT and SB_POLL_PRESENCE_GRACE must be at least 100ms");
    }
  }

  @Override
  public String toString() {
    return "EdgeConfig[host=" + host + ", httpPort=" + httpPort + ", nodeId=" + nodeId + ", heartbeatSec="
        + heartbeatSec + ", maxFrameBytes=" + maxFrameBytes + ", apiKey=" + (apiKey == null ? "<unset>" : "<redacted>")
        + "]";
  }

  public static EdgeConfig from(JsonObject json) {
    ConfigReader config = new ConfigReader(json);
    return new EdgeConfig(
        config.string("SB_HTTP_HOST", "0.0.0.0"),
        config.integer("SB_HTTP_PORT", 8080),
        config.string("SB_NODE_ID", "node-" + UUID.randomUUID().toString().substring(0, 8)),
        config.integer("SB_HEARTBEAT_SEC", 30),
        config.integer("SB_MAX_FRAME_BYTES", 64 * 1024),
        config.integer("SB_OUTBOUND_LIMIT_BYTES", 1024 * 1024),
        config.duration("SB_AUTH_TIMEOUT", Duration.ofSeconds(5)),
        500,
        config.bool("SB_DEV_TOKENS", false),
        64,
        config.integer("SB_MAX_SUBSCRIPTIONS", 100),
        config.integer("SB_MAX_FRAMES_PER_SEC", 100),
        config.string("SB_API_KEY", null),
        config.string("SB_ALLOWED_ORIGINS", "*"),
        config.integer("SB_MAX_CONNECTIONS_PER_IP", 1000),
        config.integer("SB_HANDSHAKES_PER_SEC", 100),
        config.duration("SB_PRESENCE_HEARTBEAT", Duration.ofSeconds(30)),
        config.duration("SB_POLL_PRESENCE_GRACE", Duration.ofSeconds(15)));
  }
}
