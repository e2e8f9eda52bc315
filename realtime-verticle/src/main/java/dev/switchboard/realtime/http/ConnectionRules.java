package dev.switchboard.realtime.http;

import dev.switchboard.protocol.ConfigReader;

import java.time.Duration;

/**
 * The edge's rules for client connections (docs/PROTOCOL.md, Limits), read from the {@code SB_*} keys of its config.
 *
 * @param maxConnectionsPerIp TCP connections one client address may hold, whatever they carry
 *                            ({@code SB_MAX_CONNECTIONS_PER_IP})
 * @param handshakesPerSec new WebSockets and SSE streams one client address may open per second
 *                         ({@code SB_HANDSHAKES_PER_SEC})
 * @param headerTimeout how long a new connection may take to send its first request's headers, counted from the
 *                      accept ({@code SB_HTTP_HEADER_TIMEOUT})
 * @param bodyTimeout how long a request body may take once its headers are in ({@code SB_HTTP_BODY_TIMEOUT})
 * @param idleTimeout how long a kept-alive connection may wait, after an answer, until its next request's headers are
 *                    in ({@code SB_HTTP_IDLE_TIMEOUT}); by default longer than the longest long poll, so a client
 *                    polling again at once always finds its connection open (a waiting poll is never idle)
 * @param trustedProxies peers whose forwarding headers name the client ({@code SB_TRUSTED_PROXIES})
 * @param fdReserve file descriptors kept from clients for {@code /health}, {@code /ready} and the node's own
 *                  connections ({@code SB_FD_RESERVE})
 */
public record ConnectionRules(int maxConnectionsPerIp, int handshakesPerSec, Duration headerTimeout,
                              Duration bodyTimeout, Duration idleTimeout, TrustedProxies trustedProxies,
                              int fdReserve) {

  public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 1000;
  public static final int DEFAULT_HANDSHAKES_PER_SEC = 100;
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(90);
  /** The longest a long poll waits (docs/PROTOCOL.md, Long polling); a kept-alive connection may idle longer. */
  public static final Duration LONGEST_POLL = Duration.ofSeconds(60);
  public static final int DEFAULT_FD_RESERVE = 256;

  public ConnectionRules {
    if (maxConnectionsPerIp < 1 || handshakesPerSec < 1) {
      throw new IllegalArgumentException("SB_MAX_CONNECTIONS_PER_IP and SB_HANDSHAKES_PER_SEC must be at least 1");
    }
    if (headerTimeout.toMillis() < 100 || bodyTimeout.toMillis() < 100 || idleTimeout.toMillis() < 100) {
      throw new IllegalArgumentException(
          "SB_HTTP_HEADER_TIMEOUT, SB_HTTP_BODY_TIMEOUT and SB_HTTP_IDLE_TIMEOUT must be at least 100ms");
    }
    if (fdReserve < 0) {
      throw new IllegalArgumentException("SB_FD_RESERVE must not be negative");
    }
  }

  public static ConnectionRules from(ConfigReader config) {
    return new ConnectionRules(
        config.integer("SB_MAX_CONNECTIONS_PER_IP", DEFAULT_MAX_CONNECTIONS_PER_IP),
        config.integer("SB_HANDSHAKES_PER_SEC", DEFAULT_HANDSHAKES_PER_SEC),
        config.duration("SB_HTTP_HEADER_TIMEOUT", DEFAULT_HEADER_TIMEOUT),
        config.duration("SB_HTTP_BODY_TIMEOUT", DEFAULT_BODY_TIMEOUT),
        config.duration("SB_HTTP_IDLE_TIMEOUT", DEFAULT_IDLE_TIMEOUT),
        TrustedProxies.parse(config.string("SB_TRUSTED_PROXIES", "")),
        config.integer("SB_FD_RESERVE", DEFAULT_FD_RESERVE));
  }
}
