package dev.switchboard.realtime.http;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * The browser origins allowed to use this edge ({@code SB_ALLOWED_ORIGINS}): {@code *} allows any; a request without
 * an {@code Origin} header (not a browser) is always allowed, since it proves nothing either way.
 */
public final class AllowedOrigins {

  private final List<String> origins;

  public AllowedOrigins(String setting) {
    this.origins = setting == null || setting.isBlank() || setting.trim().equals("*")
        ? null
        : List.of(setting.toLowerCase(Locale.ROOT).split("\\s*,\\s*"));
  }

  public boolean any() {
    return origins == null;
  }

  public List<String> list() {
    return origins == null ? List.of() : origins;
  }

  boolean allows(String origin) {
    return origins == null || origin == null || origins.contains(origin.toLowerCase(Locale.ROOT));
  }

  /**
   * Whether a request comes from a page of the node itself: no {@code Origin} (not a browser), or one whose host and
   * port are the request's {@code Host}, as for a page served by the node directly, through a proxy that keeps the
   * {@code Host}, or through {@code kubectl port-forward}.
   */
  static boolean sameOrigin(String origin, String host) {
    if (origin == null) {
      return true;
    }
    try {
      URI uri = URI.create(origin);
      int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
      String authority = uri.getHost() + ":" + port;
      String requested = host == null ? "" : host.contains(":") ? host : host + ":" + port;
      return authority.equalsIgnoreCase(requested);
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }
}
