package dev.switchboard.realtime.canary;

import dev.switchboard.protocol.AppendRequest;
import dev.switchboard.protocol.MicrosClock;
import dev.switchboard.protocol.Principal;
import dev.switchboard.protocol.SessionIds;
import dev.switchboard.realtime.RoleClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The delivery canary of one edge (docs/ARCHITECTURE.md, Delivery canary): every {@code SB_CANARY_INTERVAL} it
 * appends one event to {@code sys:canary:<nodeId>} through persistence, which publishes it on the bus like any event;
 * this edge's hub delivers it to the canary's own loopback WebSocket ({@link CanarySubscriber}), which records the
 * latency from publish to arrival. In a cluster the same socket also watches the canary of the next edge member by
 * node id, so a bus broken between two members shows as that source's latency, or as {@code peer} failures.
 *
 * <p>Each round fails at most once: {@code publish} when the append fails, {@code deliver} when a stored canary has
 * not arrived by the next round's start, {@code connect} (instead of {@code deliver}) when the round's subscriber could
 * not connect. Recovery shows as latency observed again. Used on its edge loop.
 */
public final class Canary {

  /** The event type of canary events. */
  public static final String EVENT_TYPE = "canary";
  /** Rounds the watched member's canary may miss before one {@code peer} failure is counted. */
  static final int PEER_SILENT_INTERVALS = 3;

  private final Vertx vertx;
  private final RoleClient roles;
  private final CanaryMeters meters;
  private final String nodeId;
  private final String ownSession;
  private final long intervalMicros;
  private final EdgeMembers edgeMembers;
  private final CanarySubscriber subscriber;
  /** Sent times (micros) of stored canaries not yet seen by the subscriber. */
  private final Deque<Long> awaited = new ArrayDeque<>();
  /** Own canaries that arrived before their append's answer did (in a cluster the two may race). */
  private final Set<Long> delivered = new HashSet<>();
  private final long timer;
  private String peer;
  /** When the subscriber last failed to connect (micros), so that its round's canary is not counted twice. */
  private long connectFailedAt = Long.MIN_VALUE / 2;
  private long peerHeardAt;
  private boolean peerSilenceCounted;

  /**
   * Starts the canary of an edge that listens on {@code port}, over TLS when {@code tls}.
   *
   * @param edgeMembers the cluster's edges, whose next one after this by node id is watched
   */
  public Canary(Vertx vertx, RoleClient roles, CanaryMeters meters, CanaryPass pass, String nodeId, int port,
                boolean tls, Duration interval, EdgeMembers edgeMembers) {
    this.vertx = vertx;
    this.roles = roles;
    this.meters = meters;
    this.nodeId = nodeId;
    this.ownSession = SessionIds.canary(nodeId);
    this.intervalMicros = interval.toNanos() / 1000;
    this.edgeMembers = edgeMembers;
    this.subscriber = new CanarySubscriber(vertx, pass, port, tls, ownSession, this::arrived);
    subscriber.ensure(null, this::connectFailed);
    this.timer = vertx.setPeriodic(interval.toMillis(), t -> round());
  }

  /** The member whose canary an edge watches: the next edge after {@code self} in node id order, or null alone. */
  static String next(String self, List<String> members) {
    List<String> others = new ArrayList<>(members);
    others.remove(self);
    if (others.isEmpty()) {
      return null;
    }
    others.sort(null);
    for (String member : others) {
      if (member.compareTo(self) > 0) {
        return member;
      }
    }
    return others.get(0);
  }

  private void round() {
    long now = MicrosClock.now();
    // A canary still awaited after a whole interval is missed: counted now, once, and not again as `deliver` when
    // its round already counted the subscriber's failure to connect. A socket open but never placed (the edge could
    // not read the session's head when it subscribed) is then replaced, or it would never deliver.
    boolean missed = false;
    while (!awaited.isEmpty() && now - awaited.peekFirst() >= intervalMicros) {
      long sentAt = awaited.pollFirst();
      missed = true;
      if (Math.abs(connectFailedAt - sentAt) > intervalMicros) {
        meters.failed(CanaryStage.DELIVER);
      }
    }
    if (missed) {
      subscriber.reconnectIfUnplaced();
    }
    edgeMembers.list().onComplete(members -> {
      watchPeer(members.succeeded() ? members.result() : List.of(nodeId), MicrosClock.now());
      subscriber.ensure(peer == null ? null : SessionIds.canary(peer), this::connectFailed);
    });
    long sentAt = MicrosClock.now();
    String payload = new JsonObject().put("sentAt", sentAt).encode();
    roles.append(new AppendRequest(ownSession, EVENT_TYPE, payload, Principal.INTERNAL.userId(), null))
        .onComplete(ar -> {
          if (ar.failed()) {
            meters.failed(CanaryStage.PUBLISH);
          } else if (!delivered.remove(sentAt)) {
            awaited.addLast(sentAt);
          }
        });
  }

  private void connectFailed() {
    connectFailedAt = MicrosClock.now();
    meters.failed(CanaryStage.CONNECT);
  }

  private void watchPeer(List<String> members, long now) {
    String next = next(nodeId, members);
    if (next == null ? peer != null : !next.equals(peer)) {
      peer = next;
      peerHeardAt = now;
      peerSilenceCounted = false;
    } else if (peer != null && !peerSilenceCounted && now - peerHeardAt > PEER_SILENT_INTERVALS * intervalMicros) {
      peerSilenceCounted = true;
      meters.failed(CanaryStage.PEER);
    }
  }

  private void arrived(CanarySubscriber.Arrival arrival) {
    Long sentAt = arrival.payload().getLong("sentAt");
    if (sentAt == null) {
      return;
    }
    long now = MicrosClock.now();
    String source = arrival.sessionId().substring(SessionIds.CANARY_PREFIX.length());
    meters.observed(source, now - sentAt);
    if (source.equals(nodeId)) {
      if (!awaited.remove(sentAt) && now - sentAt < intervalMicros) {
        delivered.add(sentAt);
        vertx.setTimer(Math.max(1, intervalMicros / 1000), t -> delivered.remove(sentAt));
      }
    } else if (source.equals(peer)) {
      peerHeardAt = now;
      peerSilenceCounted = false;
    }
  }

  /** Stops the rounds and closes the subscriber. */
  public void stop() {
    vertx.cancelTimer(timer);
    subscriber.close();
    edgeMembers.leave();
  }
}
