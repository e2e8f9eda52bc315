package dev.switchboard.presence;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code cursor} of presence pages: the last user id of a page, base64url-encoded so that clients pass it
 * back unchanged and do not build one themselves.
 */
final class PresenceCursor {

  private PresenceCursor() {
  }

  static String after(String userId) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(userId.getBytes(StandardCharsets.UTF_8));
  }

  /** The user id a cursor continues after; fails on anything {@link #after} did not produce. */
  static String userId(String cursor) {
    byte[] bytes = Base64.getUrlDecoder().decode(cursor);
    if (bytes.length == 0) {
      throw new IllegalArgumentException("empty cursor");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
