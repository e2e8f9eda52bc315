package dev.switchboard.realtime.sse;

import dev.switchboard.protocol.SessionIds;

import dev.switchboard.realtime.wire.WholeNumbers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resume position of an SSE stream, written into each event's {@code id:} so that EventSource's
 * {@code Last-Event-ID} brings it back on reconnect.
 *
 * <p>A stream of one session uses the plain eventId ({@code id: 42}); a stream of several sessions lists every
 * session's position ({@code id: poll:1=42,chat=7}), since eventIds are numbered per session. {@code =} and {@code ,}
 * cannot occur in a session id, so the format is unambiguous.
 */
public final class StreamCursor {

  private final List<String> sessions;
  private final Map<String, Long> positions = new LinkedHashMap<>();

  StreamCursor(List<String> sessions) {
    this.sessions = List.copyOf(sessions);
  }

  void advance(String sessionId, long eventId) {
    positions.put(sessionId, eventId);
  }

  /** The {@code id:} value after the latest event. */
  String encode() {
    if (sessions.size() == 1) {
      Long position = positions.get(sessions.get(0));
      return position == null ? "" : Long.toString(position);
    }
    StringBuilder id = new StringBuilder();
    for (Map.Entry<String, Long> entry : positions.entrySet()) {
      if (id.length() > 0) {
        id.append(',');
      }
      id.append(entry.getKey()).append('=').append(entry.getValue());
    }
    return id.toString();
  }

  /**
   * Parses a {@code Last-Event-ID} for these sessions: session id to position, or null when the header does not fit
   * (a malformed value is refused rather than silently resuming from the wrong place).
   */
  public static Map<String, Long> parse(String header, List<String> sessions) {
    Map<String, Long> positions = new LinkedHashMap<>();
    String value = header.trim();
    if (!value.contains("=")) {
      Long eventId = WholeNumbers.parse(value);
      if (eventId == null || sessions.size() != 1) {
        return null;
      }
      positions.put(sessions.get(0), eventId);
      return positions;
    }
    for (String part : value.split(",")) {
      int eq = part.lastIndexOf('=');
      String sessionId = eq < 0 ? null : part.substring(0, eq).trim();
      Long eventId = eq < 0 ? null : WholeNumbers.parse(part.substring(eq + 1).trim());
      if (!SessionIds.isValid(sessionId) || eventId == null || !sessions.contains(sessionId)) {
        return null;
      }
      positions.put(sessionId, eventId);
    }
    return positions;
  }
}
