package dev.switchboard.presence;

import dev.switchboard.protocol.PresenceHeartbeat;
import dev.switchboard.protocol.PresenceUser;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;

/** A store whose first count fails, as an unreachable store's would; everything else is the delegate's. */
final class CountsFailOnceStore implements PresenceStore {

  private final PresenceStore store;
  private boolean failed;

  CountsFailOnceStore(PresenceStore store) {
    this.store = store;
  }

  @Override
  public Future<List<Integer>> counts(List<String> sessionIds) {
    if (!failed) {
      failed = true;
      return Future.failedFuture("store unreachable");
    }
    return store.counts(sessionIds);
  }

  @Override
  public Future<Boolean> join(String sessionId, String nodeId, String connectionId, PresenceUser user, long nowMs) {
    return store.join(sessionId, nodeId, connectionId, user, nowMs);
  }

  @Override
  public Future<PresenceUser> leave(String sessionId, String nodeId, String connectionId) {
    return store.leave(sessionId, nodeId, connectionId);
  }

  @Override
  public Future<List<PresenceUser>> users(String sessionId, String afterUserId, int limit) {
    return store.users(sessionId, afterUserId, limit);
  }

  @Override
  public Future<List<Map<String, Integer>>> anonymousCounts(List<String> sessionIds) {
    return store.anonymousCounts(sessionIds);
  }

  @Override
  public Future<List<PresenceChange>> refresh(String nodeId, List<PresenceHeartbeat.Entry> connections, long nowMs) {
    return store.refresh(nodeId, connections, nowMs);
  }

  @Override
  public Future<List<PresenceChange>> sweep(long olderThanMs) {
    return store.sweep(olderThanMs);
  }
}
