package dev.switchboard.realtime;

import dev.switchboard.realtime.hook.HookTarget;
import dev.switchboard.realtime.http.AllowedOrigins;

/**
 * The start-up rule of a connect hook that trusts cookies (docs/PROTOCOL.md, Backend hooks): it needs an explicit
 * {@code SB_ALLOWED_ORIGINS}, since a browser sends a site's cookies with a WebSocket or an SSE stream that any page
 * opens, and only the origin check keeps other sites' pages from acting as the user.
 */
final class ConnectHookOrigins {

  private ConnectHookOrigins() {
  }

  /**
   * @throws IllegalArgumentException when {@code hook} forwards cookies and {@code origins} allows any origin
   */
  static void check(HookTarget hook, AllowedOrigins origins) {
    if (hook != null && hook.trustsCookies() && origins.any()) {
      throw new IllegalArgumentException("hooks.connect forwards cookies, so SB_ALLOWED_ORIGINS must list the origins"
          + " of the application's pages (not *): otherwise any web page could connect with a user's cookies");
    }
  }
}
