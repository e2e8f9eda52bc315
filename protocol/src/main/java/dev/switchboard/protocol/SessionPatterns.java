package dev.switchboard.protocol;

import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.List;

/**
 * Matches a session id against the {@code sessions} / {@code publish} claims: exact ids, {@code prefix*} patterns,
 * and {@code "*"} for all. An empty or missing list allows nothing. Reads those grants too, as a JWT's claims and a
 * connect hook's answer give them (docs/PROTOCOL.md, Claims).
 */
public final class SessionPatterns {

  private SessionPatterns() {
  }

  /** The patterns of a grant: one string or an array of strings; missing grants nothing; null when neither form. */
  public static List<String> of(Object grant) {
    if (grant == null) {
      return List.of();
    }
    if (grant instanceof String single) {
      return List.of(single);
    }
    if (!(grant instanceof JsonArray array)) {
      return null;
    }
    List<String> patterns = new ArrayList<>(array.size());
    for (Object item : array) {
      if (!(item instanceof String pattern)) {
        return null;
      }
      patterns.add(pattern);
    }
    return patterns;
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
