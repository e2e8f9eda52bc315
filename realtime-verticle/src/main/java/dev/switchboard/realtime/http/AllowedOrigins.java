package dev.switchboard.realtime.http;

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
}
