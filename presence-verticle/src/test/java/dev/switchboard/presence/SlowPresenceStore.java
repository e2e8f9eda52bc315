package dev.switchboard.presence;

import dev.switchboard.protocol.PresenceHeartbeat;
import dev.switchboard.protocol.PresenceUser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.Map;

/**
 * A store whose joins answer slowly and whose leaves answer fast, as a remote store under load might: an update
 * processed out of arrival order would show.
 */
final class SlowPresenceStore implements PresenceStore {

  private final Vertx vertx;
  private final PresenceStore delegate;
  private final long joinDelayMs;

  SlowPresenceStore(Vertx vertx, PresenceStore delegate, long joinDelayMs) {
    this.vertx = vertx;
    this.delegate = delegate;
    this.joinDelayMs = joinDelayMs;
  }

  @Override
  public Future<Boolean> join(String sessionId, String nodeId, String connectionId, PresenceUser user, long nowMs) {
    return vertx.timer(joinDelayMs).compose(v -> delegate.join(sessionId, nodeId, connectionId, user, nowMs));
  }

  @Override
  public Future<PresenceUser> leave(String sessionId, String nodeId, String connectionId) {
    return vertx.timer(1).compose(v -> delegate.leave(sessionId, nodeId, connectionId));
  }

  @Override
  public Future<List<PresenceUser>> users(String sessionId, String afterUserId, int limit) {
    return vertx.timer(1).compose(v -> delegate.users(sessionId, afterUserId, limit));
  }

  @Override
  public Future<List<Integer>> counts(List<String> sessionIds) {
    return delegate.counts(sessionIds);
  }

  @Override
  public Future<List<Map<String, Integer>>> anonymousCounts(List<String> sessionIds) {
    return delegate.anonymousCounts(sessionIds);
  }

  @Override
  public Future<List<PresenceChange>> refresh(String nodeId, List<PresenceHeartbeat.Entry> connections, long nowMs) {
    return delegate.refresh(nodeId, connections, nowMs);
  }

  @Override
  public Future<List<PresenceChange>> sweep(long olderThanMs) {
    return delegate.sweep(olderThanMs);
  }
}
