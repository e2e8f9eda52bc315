package dev.switchboard.realtime.http;

import dev.switchboard.realtime.wire.Refusal;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Per client IP: how many WebSockets and SSE streams it holds, and how fast it may open new ones (a token bucket of
 * handshakes). One client, or one runaway reconnect loop, cannot exhaust the node's sockets. Not thread-safe: used
 * on the edge's event loop.
 */
public final class ClientLimits {

  private final int maxConnections;
  private final double handshakesPerMs;
  private final double handshakeBurst;
  private final Map<String, ClientIp> clients = new HashMap<>();

  /** A full reconnect of {@code maxConnections} clients behind one address is allowed at once, then the rate holds. */
  public ClientLimits(int maxConnectionsPerIp, int handshakesPerSec) {
    this.maxConnections = maxConnectionsPerIp;
    this.handshakesPerMs = handshakesPerSec / 1000.0;
    this.handshakeBurst = Math.max(handshakesPerSec, maxConnectionsPerIp);
  }

  /** Admits a new connection from {@code ip}, counting it, or says why not. */
  Refusal admit(String ip, long nowMs) {
    ClientIp client = clients.computeIfAbsent(ip, k -> new ClientIp(handshakeBurst, nowMs));
    client.refill(nowMs, handshakesPerMs, handshakeBurst);
    if (client.tokens < 1) {
      return Refusal.TOO_MANY_HANDSHAKES;
    }
    client.tokens -= 1;
    if (client.open >= maxConnections) {
      return Refusal.TOO_MANY_CONNECTIONS;
    }
    client.open++;
    return null;
  }

  /** A connection admitted for {@code ip} has closed. */
  public void release(String ip) {
    ClientIp client = clients.get(ip);
    if (client != null && client.open > 0) {
      client.open--;
    }
  }

  /** Forgets addresses with no connection and a full bucket, so memory follows the active clients. */
  public void sweep(long nowMs) {
    for (Iterator<ClientIp> it = clients.values().iterator(); it.hasNext(); ) {
      ClientIp client = it.next();
      client.refill(nowMs, handshakesPerMs, handshakeBurst);
      if (client.open == 0 && client.tokens >= handshakeBurst) {
        it.remove();
      }
    }
  }

  int trackedAddresses() {
    return clients.size();
  }

  /** One address's counters. */
  private static final class ClientIp {
    int open;
    double tokens;
    long updatedMs;

    ClientIp(double tokens, long nowMs) {
      this.tokens = tokens;
      this.updatedMs = nowMs;
    }

    void refill(long nowMs, double perMs, double burst) {
      if (nowMs > updatedMs) {
        tokens = Math.min(burst, tokens + (nowMs - updatedMs) * perMs);
        updatedMs = nowMs;
      }
    }
  }
}
