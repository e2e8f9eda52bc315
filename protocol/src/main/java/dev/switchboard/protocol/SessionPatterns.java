package dev.switchboard.protocol;

import java.util.List;

/**
 * Matches a session id against the {@code sessions} / {@code publish} claims: exact ids, {@code prefix*} patterns,
 * and {@code "*"} for all. An empty or missing list allows nothing.
 */
public final class SessionPatterns {

  private SessionPatterns() {
  }

  public static boolean allows(List<String> patterns, String sessionId) {
    if (patterns == null || sessionId == null) {
      return false;
    }
    for (String pattern : patterns) {
      if (matches(pattern, sessionId)) {
        return true;
      }
    }
    return false;
  }

  static boolean matches(String pattern, String sessionId) {
    if (pattern == null || pattern.isEmpty()) {
      return false;
    }
    if (pattern.endsWith("*")) {
      return sessionId.startsWith(pattern.substring(0, pattern.length() - 1));
    }
    return pattern.equals(sessionId);
  }
}
