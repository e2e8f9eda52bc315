package dev.switchboard.persistence;

import dev.switchboard.protocol.AppendRequest;
import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.SessionIds;

/**
 * Defensive checks of the requests persistence receives; the edge validates first, these keep a faulty caller from
 * failing a whole batch of other callers' events.
 *
 * <p>Text holding the NUL character is refused whatever the store: PostgreSQL can store it neither in {@code text}
 * nor (escaped) in {@code jsonb}, and a node should accept the same events on either store.
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
    if (hasNul(request.eventType()) || hasNul(request.userId()) || hasNul(request.idempotencyKey())) {
      return "eventType, userId and idempotencyKey must not contain the NUL character";
    }
    if (jsonHasNul(request.payload())) {
      return "payload must not contain the NUL character";
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

  private static boolean hasNul(String text) {
    return text != null && text.indexOf('\0') >= 0;
  }

  /** Whether JSON text holds a NUL character, raw or as the escape backslash-u0000. */
  static boolean jsonHasNul(String json) {
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '\0') {
        return true;
      }
      if (c == '\\') {
        if (json.startsWith("u0000", i + 1)) {
          return true;
        }
        // Skips the escaped character, so an escaped backslash followed by u0000 is not taken for the escape.
        i++;
      }
    }
    return false;
  }
}
