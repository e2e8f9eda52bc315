package dev.switchboard.protocol;

/**
 * Session id syntax (docs/PROTOCOL.md, Words): 1-128 characters of {@code [A-Za-z0-9._:-]}.
 */
public final class SessionIds {

  public static final int MAX_LENGTH = 128;

  private SessionIds() {
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
