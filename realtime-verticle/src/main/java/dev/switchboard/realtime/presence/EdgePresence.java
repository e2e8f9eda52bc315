package dev.switchboard.realtime.presence;

import dev.switchboard.protocol.PresenceAction;
import dev.switchboard.protocol.PresenceHeartbeat;
import dev.switchboard.protocol.PresenceQuery;
import dev.switchboard.protocol.PresenceUpdate;
import dev.switchboard.protocol.PresenceUser;
import dev.switchboard.realtime.EdgeConfig;
import dev.switchboard.realtime.RoleClient;
import dev.switchboard.realtime.hub.Subscription;
import dev.switchboard.realtime.hub.SubscriptionPresence;
import dev.switchboard.realtime.namespace.Namespaces;
import dev.switchboard.realtime.wire.Frames;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * This edge node's side of presence (docs/ARCHITECTURE.md, Presence): it tells presence when a connection joins or
 * leaves a session, refreshes every connection of the node in one {@link PresenceHeartbeat} per interval, and keeps a
 * long-polling user present in a session while their polls keep coming. Used from its edge loop only.
 *
 * <p>The heartbeat lists connections rather than naming the node, so presence can restore what it lost (a Redis
 * outage, a restart) from the next heartbeat, and a connection whose leave was lost simply stops being listed and
 * expires.
 */
public final class EdgePresence implements SubscriptionPresence {

  private final Vertx vertx;
  private final RoleClient roles;
  private final String nodeId;
  private final long pollGraceMs;
  private final Namespaces namespaces;
  /** Every connection of this node in every session, by (session, connection id), with its user. */
  private final Map<Key, PresenceUser> connections = new LinkedHashMap<>();
  /** By (session, user id): the one presence connection that stands for a user's long polls of a session. */
  private final Map<Key, Poller> pollers = new HashMap<>();

  /** {@code namespaces} says which sessions are tracked at all (a namespace's {@code presence} option). */
  public EdgePresence(Vertx vertx, RoleClient roles, EdgeConfig config, Namespaces namespaces) {
    this.vertx = vertx;
    this.namespaces = namespaces;
    this.roles = roles;
    this.nodeId = config.nodeId();
    this.pollGraceMs = config.pollPresenceGrace().toMillis();
  }

  /**
   * A WebSocket's or SSE stream's subscription is placed: its user joins the session, and the subscriber gets the
   * session's first page of presence (unless it has left by the time the answer comes). An anonymous subscriber
   * joins as an entry of its own that names no one ({@link PresenceUser#anonymous}), so presence counts it by its
   * actor type, and it is told the counts but not who is present.
   */
  @Override
  public void placed(Subscription subscription) {
    String sessionId = subscription.sessionId();
    if (!tracks(sessionId)) {
      return;
    }
    String connectionId = subscription.subscriber().connectionId();
    String anonymousType = subscription.subscriber().anonymousType();
    PresenceUser user = anonymousType != null ? PresenceUser.anonymous(anonymousType, nodeId, connectionId)
        : subscription.subscriber().presenceUser();
    if (user == null) {
      return; // a long poll's user is kept present by its polls
    }
    join(sessionId, connectionId, user);
    roles.presenceState(new PresenceQuery(sessionId)).onSuccess(state -> {
      if (!subscription.isClosed()) {
        subscription.subscriber().sendFrame(Frames.presenceState(anonymousType == null ? state : state.unnamed()));
      }
    });
  }

  /** Whether {@code sessionId}'s users are tracked: false in a namespace with {@code presence: false}. */
  public boolean tracks(String sessionId) {
    return namespaces.of(sessionId).presence();
  }

  @Override
  public void left(Subscription subscription) {
    leave(subscription.sessionId(), subscription.subscriber().connectionId());
  }

  /** Announces a connection in a session; a connection already announced there is not announced again. */
  void join(String sessionId, String connectionId, PresenceUser user) {
    if (connections.put(new Key(sessionId, connectionId), user) == null) {
      roles.presence(new PresenceUpdate(PresenceAction.JOIN, sessionId, nodeId, connectionId, user));
    }
  }

  /** Announces that a connection left a session; nothing for one that never joined it (or already left). */
  void leave(String sessionId, String connectionId) {
    PresenceUser user = connections.remove(new Key(sessionId, connectionId));
    if (user != null) {
      roles.presence(new PresenceUpdate(PresenceAction.LEAVE, sessionId, nodeId, connectionId, user));
    }
  }

  /** Refreshes every connection of this node in one message. */
  public void heartbeat() {
    if (connections.isEmpty()) {
      return;
    }
    List<PresenceHeartbeat.Entry> entries = new ArrayList<>(connections.size());
    connections.forEach((key, user) -> entries.add(new PresenceHeartbeat.Entry(key.sessionId(), key.id(), user)));
    roles.presenceHeartbeat(new PresenceHeartbeat(nodeId, entries));
  }

  /**
   * A long poll of {@code sessionId} by {@code user} started: the user's first poll joins, and their presence is kept
   * until {@link #pollEnded} has been called for every started poll and the grace period has passed without another.
   */
  public void pollStarted(String sessionId, PresenceUser user) {
    if (!tracks(sessionId) || user == null) {
      return; // presence off in the namespace, or an anonymous poller (not shown)
    }
    Key key = new Key(sessionId, user.userId());
    Poller poller = pollers.get(key);
    if (poller == null) {
      poller = new Poller("poll-" + UUID.randomUUID());
      pollers.put(key, poller);
      join(sessionId, poller.connectionId, user);
    }
    poller.waiting++;
    if (poller.graceTimer != -1) {
      vertx.cancelTimer(poller.graceTimer);
      poller.graceTimer = -1;
    }
  }

  /** A long poll started with {@link #pollStarted} ended (answered or abandoned). */
  public void pollEnded(String sessionId, String userId) {
    if (userId == null) {
      return;
    }
    Key key = new Key(sessionId, userId);
    Poller poller = pollers.get(key);
    if (poller == null || --poller.waiting > 0) {
      return;
    }
    poller.graceTimer = vertx.setTimer(pollGraceMs, t -> {
      pollers.remove(key);
      leave(sessionId, poller.connectionId);
    });
  }

  /** Leaves every session with every connection still announced: the node is going away. */
  public void close() {
    pollers.values().forEach(poller -> vertx.cancelTimer(poller.graceTimer));
    pollers.clear();
    new ArrayList<>(connections.keySet()).forEach(key -> leave(key.sessionId(), key.id()));
  }

  /** A session and a connection id or a user id. */
  private record Key(String sessionId, String id) {
  }

  /** The presence connection of one user's long polls of one session, and how many of their polls are waiting. */
  private static final class Poller {
    final String connectionId;
    int waiting;
    long graceTimer = -1;

    Poller(String connectionId) {
      this.connectionId = connectionId;
    }
  }
}
