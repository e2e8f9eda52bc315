package dev.switchboard.realtime.http;

import dev.switchboard.realtime.wire.Refusal;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Per client address (docs/PROTOCOL.md, Limits): how many connections it holds, how many more the node is answering
 * only to refuse, and how fast it may open WebSockets and SSE streams (a token bucket of handshakes). One client, or
 * one runaway reconnect loop, cannot exhaust the node's sockets; and how many client connections the whole node holds.
 * One per node, shared by its edge loops: every method takes the object's monitor (never on the delivery path, only
 * when a connection opens, upgrades or closes).
 */
public final class ClientLimits {

  /** Connections past the limit that one address may have answered with a refusal at once; more are just closed. */
  static final int REFUSING_PER_ADDRESS = 4;

  private final int maxConnections;
  private final double handshakesPerMs;
  private final double handshakeBurst;
  private final Map<String, ClientIp> clients = new HashMap<>();
  /** Client connections the node holds, admitted or kept only to be refused. */
  private int admitted;
  private int refusing;

  /** A full reconnect of {@code maxConnections} clients behind one address is allowed at once, then the rate holds. */
  public ClientLimits(ConnectionRules rules) {
    this.maxConnections = rules.maxConnectionsPerIp();
    this.handshakesPerMs = rules.handshakesPerSec() / 1000.0;
    this.handshakeBurst = Math.max(rules.handshakesPerSec(), rules.maxConnectionsPerIp());
  }

  /** Charges one WebSocket or SSE handshake to {@code client}, or says why not. */
  synchronized Refusal handshake(String client, long nowMs) {
    ClientIp counters = counters(client, nowMs);
    if (counters.tokens < 1) {
      return Refusal.TOO_MANY_HANDSHAKES;
    }
    counters.tokens -= 1;
    return null;
  }

  /** Counts a new connection of {@code client}; false when it already holds as many as it may. */
  synchronized boolean open(String client, long nowMs) {
    ClientIp counters = counters(client, nowMs);
    if (counters.open >= maxConnections) {
      return false;
    }
    counters.open++;
    return true;
  }

  /** A connection counted for {@code client} has closed; null is ignored. */
  public synchronized void release(String client) {
    ClientIp counters = client == null ? null : clients.get(client);
    if (counters != null && counters.open > 0) {
      counters.open--;
    }
  }

  /** Whether one more of {@code client}'s connections may be kept to answer it a refusal (then counted as such). */
  synchronized boolean startRefusing(String client, long nowMs) {
    ClientIp counters = counters(client, nowMs);
    if (counters.refusing >= REFUSING_PER_ADDRESS) {
      return false;
    }
    counters.refusing++;
    return true;
  }

  synchronized void stopRefusing(String client) {
    ClientIp counters = clients.get(client);
    if (counters != null && counters.refusing > 0) {
      counters.refusing--;
    }
  }

  /** Counts a connection toward the node's total; false when the node already holds {@code cap}. */
  synchronized boolean admitToNode(long cap) {
    if (admitted >= cap) {
      return false;
    }
    admitted++;
    return true;
  }

  synchronized void leaveNode() {
    admitted--;
  }

  /** Whether the node may keep one more connection only to refuse it ({@code max} at once), then counted as such. */
  synchronized boolean startRefusingOnNode(int max) {
    if (refusing >= max) {
      return false;
    }
    refusing++;
    return true;
  }

  synchronized void stopRefusingOnNode() {
    refusing--;
  }

  /** Client connections the node holds now, refused ones included. */
  synchronized int nodeConnections() {
    return admitted + refusing;
  }

  private ClientIp counters(String client, long nowMs) {
    ClientIp counters = clients.computeIfAbsent(client, k -> new ClientIp(handshakeBurst, nowMs));
    counters.refill(nowMs, handshakesPerMs, handshakeBurst);
    return counters;
  }

  /** Forgets addresses with no connection and a full bucket, so memory follows the active clients. */
  public synchronized void sweep(long nowMs) {
    for (Iterator<ClientIp> it = clients.values().iterator(); it.hasNext(); ) {
      ClientIp client = it.next();
      client.refill(nowMs, handshakesPerMs, handshakeBurst);
      if (client.open == 0 && client.refusing == 0 && client.tokens >= handshakeBurst) {
        it.remove();
      }
    }
  }

  synchronized int trackedAddresses() {
    return clients.size();
  }

  /** One address's counters. */
  private static final class ClientIp {
    int open;
    int refusing;
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
