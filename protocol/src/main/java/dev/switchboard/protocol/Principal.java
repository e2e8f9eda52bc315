package dev.switchboard.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A verified user: who they are and where their token lets them go.
 *
 * @param sessions patterns the user may subscribe to (see {@link SessionPatterns})
 * @param publish patterns the user may publish to
 * @param expiresAt the token's {@code exp} in milliseconds since the epoch
 * @param tokenId the token's {@code jti}, or {@code null}: what an operator revokes (docs/PROTOCOL.md, Control API)
 */
public record Principal(String userId, String name, String actorType, List<String> sessions, List<String> publish,
                        long expiresAt, String tokenId) {

  public Principal {
    sessions = List.copyOf(sessions);
    publish = List.copyOf(publish);
  }

  /** A principal of a token without a {@code jti}. */
  public Principal(String userId, String name, String actorType, List<String> sessions, List<String> publish,
                   long expiresAt) {
    this(userId, name, actorType, sessions, publish, expiresAt, null);
  }

  /** Sessions named {@code user:<sub>} belong to one user: notifications that wait for them to come back. */
  public static final String PERSONAL_PREFIX = "user:";

  /**
   * The server's own principal, the only one that may use reserved ({@code sys:}) sessions: the delivery canary's
   * loopback subscriber is given this very instance by its edge, after the point where tokens are verified. Access is
   * by identity ({@code ==}), so no principal built from a token, or decoded from the bus with the same fields, ever
   * gets it. It never expires.
   */
  public static final Principal INTERNAL = new Principal("sys:switchboard", "Switchboard", "system",
      List.of(SessionIds.RESERVED_PREFIX + "*"), List.of(), Long.MAX_VALUE);

  /**
   * Whether this user may subscribe to, read the history of and the presence of a session. A personal session
   * ({@code user:<sub>}) is readable by its owner alone, whatever the {@code sessions} claim says (a {@code "*"}
   * claim does not open other users' notifications); a caller without a user (the server API key) reads any. A
   * reserved session ({@code sys:}) is open to {@link #INTERNAL} alone.
   */
  public boolean canSubscribe(String sessionId) {
    if (SessionIds.isReserved(sessionId)) {
      return this == INTERNAL;
    }
    if (sessionId != null && sessionId.startsWith(PERSONAL_PREFIX) && userId != null) {
      return sessionId.equals(PERSONAL_PREFIX + userId);
    }
    return SessionPatterns.allows(sessions, sessionId);
  }

  /** Whether this user may publish (and signal) to a session; never to a reserved ({@code sys:}) one. */
  public boolean canPublish(String sessionId) {
    if (SessionIds.isReserved(sessionId)) {
      return false;
    }
    return SessionPatterns.allows(publish, sessionId);
  }

  /**
   * This user, allowed one more session (a session token's grant, docs/PROTOCOL.md, Per-session tokens): to subscribe
   * to it, and to publish to it when {@code publish}. A session id holds no {@code *}, so it adds exactly that session;
   * the rules of personal and reserved sessions still hold.
   */
  public Principal granting(String sessionId, boolean publish) {
    List<String> moreSessions = new ArrayList<>(sessions);
    moreSessions.add(sessionId);
    List<String> morePublish = new ArrayList<>(this.publish);
    if (publish) {
      morePublish.add(sessionId);
    }
    return new Principal(userId, name, actorType, moreSessions, morePublish, expiresAt, tokenId);
  }

  /**
   * An anonymous subscriber (docs/PROTOCOL.md, Namespaces): no user, reads the sessions {@code sessions} allows (the
   * anonymous namespaces), publishes and signals nowhere, never expires, and is never shown by presence.
   */
  public static Principal anonymous(String actorType, List<String> sessions) {
    return new Principal(null, null, actorType, sessions, List.of(), Long.MAX_VALUE);
  }

  /** Whether this is an {@link #anonymous} subscriber (the server API key's principal has no user, but publishes). */
  public boolean isAnonymous() {
    return userId == null && publish.isEmpty();
  }

  /** The user as presence shows them; null for an anonymous subscriber, whom presence never names. */
  public PresenceUser presenceUser() {
    return isAnonymous() ? null : new PresenceUser(userId, name, actorType);
  }

  public JsonObject toJson() {
    return new JsonObject().put("userId", userId).put("name", name).put("actorType", actorType)
        .put("sessions", new JsonArray(sessions)).put("publish", new JsonArray(publish)).put("expiresAt", expiresAt)
        .put("tokenId", tokenId);
  }

  public static Principal fromJson(JsonObject json) {
    return new Principal(json.getString("userId"), json.getString("name"), json.getString("actorType"),
        StoredEvents.strings(json.getJsonArray("sessions")), StoredEvents.strings(json.getJsonArray("publish")),
        json.getLong("expiresAt"), json.getString("tokenId"));
  }
}
