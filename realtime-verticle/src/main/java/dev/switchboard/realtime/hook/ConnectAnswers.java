package dev.switchboard.realtime.hook;

import dev.switchboard.protocol.SessionPatterns;
import dev.switchboard.protocol.Principal;
import dev.switchboard.realtime.wire.Refusal;
import dev.switchboard.realtime.wire.RequestFailure;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The connect hook's side of the wire (docs/PROTOCOL.md, Backend hooks): which request headers it is sent, the cache
 * key they make, and the principal or refusal its answer means. An allow answer gives the same rights a JWT's claims
 * do:
 * <pre>
 * {"allow":true,"userId":"ada","name":"Ada","actorType":"editor","sessions":["doc:*"],"publish":["doc:*"],
 *  "exp":1767225600}
 * {"allow":false,"status":"forbidden","reason":"account suspended"}
 * </pre>
 */
final class ConnectAnswers {

  static final int MAX_USER_ID = 256;

  private ConnectAnswers() {
  }

  /** The headers of {@code request} that {@code hook} forwards, by lower-case name; empty when it carries none. */
  static JsonObject forwarded(HookTarget hook, MultiMap request) {
    JsonObject forwarded = new JsonObject();
    for (String name : hook.headers) {
      List<String> values = request.getAll(name);
      if (!values.isEmpty()) {
        forwarded.put(name, String.join(name.equals("cookie") ? "; " : ", ", values));
      }
    }
    return forwarded;
  }

  /** What the cache keeps an answer under: a SHA-256 of the forwarded headers, which are secrets like tokens. */
  static String key(JsonObject forwarded) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(forwarded.encode().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /**
   * The principal an allow answer gives, or null when it is malformed (no {@code userId}, grants that are not
   * strings, an {@code exp} that is not a number or has passed at {@code nowMs}). Without {@code exp} it never
   * expires.
   */
  static Principal principal(JsonObject answer, long nowMs) {
    if (!(answer.getValue("userId") instanceof String userId) || userId.isEmpty() || userId.length() > MAX_USER_ID) {
      return null;
    }
    List<String> sessions = SessionPatterns.of(answer.getValue("sessions"));
    List<String> publish = SessionPatterns.of(answer.getValue("publish"));
    Object exp = answer.getValue("exp");
    if (sessions == null || publish == null || (exp != null && !(exp instanceof Number))) {
      return null;
    }
    long expiresAt = exp == null ? Long.MAX_VALUE : (long) Math.floor(((Number) exp).doubleValue() * 1000);
    if (expiresAt <= nowMs) {
      return null;
    }
    return new Principal(userId, text(answer.getValue("name")), text(answer.getValue("actorType")), sessions,
        publish, expiresAt);
  }

  /**
   * A refusal answer as the failure its transport puts on the wire: {@code "status":"forbidden"} is 403 (4003 on a
   * WebSocket), anything else 401 (4001), so a client knows whether logging in again can help.
   */
  static RequestFailure refusal(JsonObject answer, String reason) {
    return "forbidden".equals(answer.getValue("status")) ? Refusal.HOOK_REFUSED.failure(reason)
        : Refusal.HOOK_UNAUTHENTICATED.failure(reason);
  }

  private static String text(Object value) {
    return value instanceof String s ? s : null;
  }
}
