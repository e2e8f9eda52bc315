package dev.switchboard.persistence;

import dev.switchboard.protocol.AppendRequest;
import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.SessionIds;

/**
 * Defensive checks of the requests persistence receives; the edge validates first, these keep a faulty caller from
 * failing a whole batch of other callers' events.
 */
final class RequestChecks {

  private RequestChecks() {
  }

  /** What is wrong with an append request, or {@code null} when nothing is. */
  static String problemWith(AppendRequest request) {
    if (request == null) {
      return "missing append request";
    }
    if (!SessionIds.isValid(request.sessionId())) {
      return "invalid sessionId";
    }
    if (request.eventType() == null || request.eventType().isEmpty()) {
      return "missing eventType";
    }
    if (request.payload() == null) {
      return "missing payload";
    }
    return null;
  }

  /** What is wrong with a replay request, or {@code null} when nothing is. */
  static String problemWith(ReplayRequest request) {
    if (request == null) {
      return "missing replay request";
    }
    if (!SessionIds.isValid(request.sessionId())) {
      return "invalid sessionId";
    }
    if (request.after() < 0) {
      return "after must not be negative";
    }
    if (request.limit() < 0) {
      return "limit must not be negative";
    }
    return null;
  }
}
