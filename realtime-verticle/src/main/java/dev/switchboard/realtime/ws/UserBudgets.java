package dev.switchboard.realtime.ws;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each user's budget of inbound bytes across all their WebSockets on this edge (docs/PROTOCOL.md, Limits), so that
 * opening more sockets buys a user nothing. Buckets of users who sent nothing lately are forgotten by {@link #sweep}.
 * One per node, shared by its edge loops: a user's sockets may be on several loops, so the map is concurrent and each
 * budget takes its own monitor (uncontended but for one user's frames arriving on two loops at once).
 */
public final class UserBudgets {

  private final int bytesPerSecond;
  private final int floodThreshold;
  private final Map<String, FrameBudget> byUser = new ConcurrentHashMap<>();

  /** @param floodThreshold frames dropped in a row after which a sender counts as flooding */
  public UserBudgets(int bytesPerSecond, int floodThreshold) {
    this.bytesPerSecond = bytesPerSecond;
    this.floodThreshold = floodThreshold;
  }

  FrameBudget of(String userId, long nowMs) {
    if (userId == null) {
      return null; // an anonymous subscriber: its connection's own budget is the limit
    }
    return byUser.computeIfAbsent(userId, u -> new FrameBudget(bytesPerSecond, floodThreshold, nowMs));
  }

  /** Forgets full buckets: their users sent nothing for a while. */
  public void sweep(long nowMs) {
    byUser.values().removeIf(budget -> budget.idleAt(nowMs));
  }
}
