package dev.switchboard.protocol;

/**
 * Session id syntax (docs/PROTOCOL.md, Words): 1-128 characters of {@code [A-Za-z0-9._:-]}; ids starting with
 * {@code sys:} are reserved for the server's own sessions (the delivery canary's {@code sys:canary:<nodeId>}), which
 * no client may subscribe to, read or publish to, whatever its token says.
 */
public final class SessionIds {

  public static final int MAX_LENGTH = 128;

  /** The prefix of reserved sessions (docs/PROTOCOL.md, Words). */
  public static final String RESERVED_PREFIX = "sys:";
  /** The prefix of the canary sessions: {@code sys:canary:<nodeId>}, one per edge. */
  public static final String CANARY_PREFIX = RESERVED_PREFIX + "canary:";

  private SessionIds() {
  }

  /** Whether {@code id} is one of the server's own sessions, closed to every client. */
  public static boolean isReserved(String id) {
    return id != null && id.startsWith(RESERVED_PREFIX);
  }

  /** The canary session of the edge {@code nodeId}. */
  public static String canary(String nodeId) {
    return CANARY_PREFIX + nodeId;
  }

  public static boolean isValid(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == ':' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
