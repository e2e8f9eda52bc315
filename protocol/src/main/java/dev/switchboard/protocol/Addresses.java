package dev.switchboard.protocol;

/**
 * Event bus addresses: the only names verticles use to reach each other (docs/ARCHITECTURE.md, Event bus contract).
 */
public final class Addresses {

  /** Request: {@link VerifyRequest} to {@link Principal}. */
  public static final String AUTH_VERIFY = "auth.verify";
  /** Request: {@link VerifyRequest} of a session token to {@link SessionGrant}. */
  public static final String AUTH_VERIFY_SESSION = "auth.verify.session";
  /** Request: {@link RateRequest} to {@link RateResult}. */
  public static final String AUTH_RATE = "auth.rate";
  /** Request: {@link DevTokenRequest} to {@link DevTokenResult}; only answered in dev mode. */
  public static final String AUTH_DEV_TOKEN = "auth.devtoken";
  /** Request: {@link RevokeRequest} to an empty reply once the revocation is stored. */
  public static final String AUTH_REVOKE = "auth.revoke";
  /** Request: {@link AppendRequest} to {@link AppendResult}. */
  public static final String EVENTS_APPEND = "events.append";
  /** Request: {@link ReplayRequest} to {@link ReplayResult}. */
  public static final String EVENTS_REPLAY = "events.replay";
  /** Request: {@link DeliveredUpdate} to an empty reply once stored (docs/ARCHITECTURE.md, Read positions). */
  public static final String POSITIONS_DELIVERED = "positions.delivered";
  /** Request: {@link ReadRequest} to {@link SessionPositions}. */
  public static final String POSITIONS_READ = "positions.read";
  /** Request: {@link PositionsQuery} to {@link PositionsList}. */
  public static final String POSITIONS_QUERY = "positions.query";
  /** Publish: {@link ReadChange}, to every edge. */
  public static final String POSITIONS_CHANGES = "positions.changes";
  /** Publish: {@link LiveBatch} on {@code events.live.<shard>}, see {@link #liveAddress(int)}. */
  public static final String EVENTS_LIVE_PREFIX = "events.live.";
  /** Send: {@link PresenceUpdate} (a connection joins or leaves) or {@link PresenceHeartbeat} (a node's connections). */
  public static final String PRESENCE_UPDATE = "presence.update";
  /** Request: {@link PresenceQuery} to {@link PresenceState}. */
  public static final String PRESENCE_QUERY = "presence.query";
  /** Publish: {@link PresenceDiff}, at most one per session per presence instance per batching interval. */
  public static final String PRESENCE_CHANGES = "presence.changes";
  /** Publish: {@link Signal}. */
  public static final String SIGNALS = "signals";
  /** Publish: {@link ControlOrder}, an operator's order to every edge loop of every node. */
  public static final String CONTROL = "control.orders";
  /** Request on {@code control.subscribers.<nodeId>}: a session id to that node's subscriber count of it. */
  public static final String CONTROL_SUBSCRIBERS_PREFIX = "control.subscribers.";
  /** Publish: a node id whose edge has just put its namespace hash in the cluster map; every edge compares again. */
  public static final String NAMESPACES_PUT = "namespaces.put";
  /**
   * Local to each process, never across the cluster: the cluster manager announces that a member joined or left
   * (body: a string naming the change), and the edge's hubs check their heads against the log.
   */
  public static final String CLUSTER_MEMBERSHIP = "cluster.membership";

  /** How many live shards sessions are spread over; persistence and every edge must agree. */
  public static final int LIVE_SHARDS = 64;

  private Addresses() {
  }

  /** The live address of one shard. */
  public static String liveAddress(int shard) {
    return EVENTS_LIVE_PREFIX + shard;
  }

  /** The shard a session's live events travel on: stable across processes and JVM versions. */
  public static int shardOf(String sessionId) {
    // String.hashCode is specified by the JLS, so every node computes the same shard.
    return Math.floorMod(sessionId.hashCode(), LIVE_SHARDS);
  }
}
