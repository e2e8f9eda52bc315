package dev.switchboard.realtime.hook;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Principal;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connect hook's wire: which headers it is sent, their cache key, and what its answers mean. */
class ConnectAnswersTest {

  private static final long NOW = 1_767_225_600_000L;

  @Test
  void onlyTheConfiguredHeadersAreForwardedLowerCased() {
    HookTarget hook = HookTarget.parse(HookKind.CONNECT, new JsonObject()
        .put("url", "http://127.0.0.1:9/c").put("headers", List.of("Cookie", "X-Csrf")), "hooks.connect");
    MultiMap request = MultiMap.caseInsensitiveMultiMap().add("Cookie", "a=1").add("cookie", "b=2")
        .add("X-CSRF", "t").add("Authorization", "Basic x").add("User-Agent", "ua");
    assertEquals(new JsonObject().put("cookie", "a=1; b=2").put("x-csrf", "t"),
        ConnectAnswers.forwarded(hook, request));
    assertTrue(ConnectAnswers.forwarded(hook, MultiMap.caseInsensitiveMultiMap().add("User-Agent", "ua")).isEmpty());
    HookTarget byDefault = HookTarget.parse(HookKind.CONNECT, new JsonObject().put("url", "http://127.0.0.1:9/c"),
        "hooks.connect");
    assertEquals(new JsonObject().put("cookie", "a=1; b=2"), ConnectAnswers.forwarded(byDefault, request));
  }

  @Test
  void theCacheKeyIsAHashThatNeverHoldsTheHeaders() {
    String key = ConnectAnswers.key(new JsonObject().put("cookie", "sid=secret"));
    assertEquals(64, key.length());
    assertTrue(!key.contains("secret"));
    assertEquals(key, ConnectAnswers.key(new JsonObject().put("cookie", "sid=secret")));
    assertNotEquals(key, ConnectAnswers.key(new JsonObject().put("cookie", "sid=other")));
  }

  @Test
  void anAllowAnswerGivesWhatATokensClaimsWould() {
    Principal ada = ConnectAnswers.principal(new JsonObject().put("allow", true).put("userId", "ada")
        .put("name", "Ada").put("actorType", "editor").put("sessions", "doc:*").put("publish", List.of("doc:1"))
        .put("exp", NOW / 1000 + 60), NOW);
    assertEquals(new Principal("ada", "Ada", "editor", List.of("doc:*"), List.of("doc:1"), NOW + 60_000), ada);
    Principal forever = ConnectAnswers.principal(new JsonObject().put("allow", true).put("userId", "bo"), NOW);
    assertEquals(Long.MAX_VALUE, forever.expiresAt(), "without exp, as long as the connection");
    assertEquals(List.of(), forever.sessions());
    assertNull(ConnectAnswers.principal(new JsonObject().put("allow", true), NOW), "no userId");
    assertNull(ConnectAnswers.principal(new JsonObject().put("allow", true).put("userId", ""), NOW));
    assertNull(ConnectAnswers.principal(new JsonObject().put("allow", true).put("userId", "a")
        .put("sessions", List.of(1)), NOW), "grants are strings");
    assertNull(ConnectAnswers.principal(new JsonObject().put("allow", true).put("userId", "a")
        .put("exp", NOW / 1000), NOW), "an exp already past");
    assertNull(ConnectAnswers.principal(new JsonObject().put("allow", true).put("userId", "a").put("exp", "soon"),
        NOW));
  }

  @Test
  void aRefusalIsForbiddenOnlyWhenTheBackendSaysSo() {
    assertEquals(ErrorCode.FORBIDDEN, ErrorCode.of(ConnectAnswers.refusal(
        new JsonObject().put("allow", false).put("status", "forbidden"), "suspended")));
    assertEquals(ErrorCode.UNAUTHORIZED, ErrorCode.of(ConnectAnswers.refusal(
        new JsonObject().put("allow", false).put("status", "unauthenticated"), "log in")));
    assertEquals(ErrorCode.UNAUTHORIZED, ErrorCode.of(ConnectAnswers.refusal(new JsonObject().put("allow", false),
        "log in")));
    assertEquals("refused by the application: log in",
        ConnectAnswers.refusal(new JsonObject().put("allow", false), "log in").getMessage());
  }
}
