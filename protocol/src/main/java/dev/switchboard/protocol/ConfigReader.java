package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Locale;

/**
 * Reads one module's settings from a verticle's config: keys are the {@code SB_*} names (README.md's configuration
 * table; how they are read: docs/ARCHITECTURE.md, Configuration), values are strings (from the environment) or JSON
 * values (from a config file). A bad value fails fast with the key's name. Each key is read by one record; keys that
 * several roles read are read by {@link SharedConfig}.
 */
public final class ConfigReader {

  private final JsonObject config;

  public ConfigReader(JsonObject config) {
    this.config = config == null ? new JsonObject() : config;
  }

  /** The value as text, or {@code fallback} when unset or blank. */
  public String string(String key, String fallback) {
    Object value = config.getValue(key);
    if (value == null) {
      return fallback;
    }
    String text = String.valueOf(value).trim();
    return text.isEmpty() ? fallback : text;
  }

  public int integer(String key, int fallback) {
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + text + "'");
    }
  }

  public boolean bool(String key, boolean fallback) {
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new IllegalArgumentException(key + " must be true or false, got '" + text + "'");
    };
  }

  public Duration duration(String key, Duration fallback) {
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    try {
      return parseDuration(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " must be a duration such as 500ms, 30s, 15m, 24h or 7d, got '"
          + text + "'");
    }
  }

  /** Parses {@code 500ms}, {@code 30s}, {@code 15m}, {@code 24h}, {@code 7d}; a bare number means seconds. */
  public static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    int split = 0;
    while (split < t.length() && Character.isDigit(t.charAt(split))) {
      split++;
    }
    if (split == 0) {
      throw new IllegalArgumentException(text);
    }
    long amount = Long.parseLong(t.substring(0, split));
    return switch (t.substring(split)) {
      case "ms" -> Duration.ofMillis(amount);
      case "", "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      case "d" -> Duration.ofDays(amount);
      default -> throw new IllegalArgumentException(text);
    };
  }
}
