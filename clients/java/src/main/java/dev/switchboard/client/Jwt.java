package dev.switchboard.client;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonValue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Reads a JWT's {@code exp} without checking it (the server checks); the client only plans its refresh by it. */
final class Jwt {

  private Jwt() {
  }

  /** The {@code exp} claim in epoch milliseconds, or -1 when the token is not a readable JWT or has none. */
  static long expiryMillis(String token) {
    if (token == null) {
      return -1;
    }
    String[] parts = token.split("\\.");
    if (parts.length < 2) {
      return -1;
    }
    try {
      String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
      JsonValue exp = Json.parse(claims).asObject().get("exp");
      return exp != null && exp.isNumber() ? (long) (exp.asDouble() * 1000) : -1;
    } catch (RuntimeException unreadable) {
      return -1;
    }
  }
}
