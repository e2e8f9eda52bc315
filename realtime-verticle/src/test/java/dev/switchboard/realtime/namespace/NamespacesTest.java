package dev.switchboard.realtime.namespace;

import dev.switchboard.realtime.hook.HookKind;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configuration's namespaces: which applies to a session, what a wrong option says, and the hash. */
class NamespacesTest {

  @Test
  void aSessionsNamespaceIsItsPrefixUpToTheFirstColon() {
    Namespaces namespaces = Namespaces.from(config("{\"doc\":{\"signals\":false,\"maxPayloadBytes\":100}}"), 65536);
    assertFalse(namespaces.of("doc:7:a").signals());
    assertEquals(100, namespaces.of("doc:7").maxPayloadBytes());
    assertTrue(namespaces.of("docs:7").signals(), "another namespace");
    assertTrue(namespaces.of("doc").signals(), "no colon, no namespace");
    assertEquals(65536, namespaces.of("chat:1").maxPayloadBytes());
  }

  @Test
  void aWrongOptionStopsTheNodeNamingTheNamespaceAndTheOption() {
    assertEquals("namespace 'poll': option 'sigals' is not an option (publish, signals, maxPayloadBytes, schemas,"
        + " hooks, history, presence, joinLeave, publishRate, publishBurst, anonymous)",
        refusal("{\"poll\":{\"sigals\":false}}"));
    assertEquals("namespace 'poll': option 'publish' must be \"clients\" or \"backend\"",
        refusal("{\"poll\":{\"publish\":\"everyone\"}}"));
    assertEquals("namespace 'chat': option 'maxPayloadBytes' must be a whole number of 1-65536 (SB_MAX_FRAME_BYTES)",
        refusal("{\"chat\":{\"maxPayloadBytes\":100000}}"));
    assertTrue(refusal("{\"poll\":{\"schemas\":{\"vote\":{\"type\":12}}}}")
        .startsWith("namespace 'poll': option 'schemas.vote' is not a valid JSON Schema"),
        refusal("{\"poll\":{\"schemas\":{\"vote\":{\"type\":12}}}}"));
    assertTrue(refusal("{\"a:b\":{}}").startsWith("namespace 'a:b': "));
  }

  @Test
  void hooksAreCheckedAtStartAndNeedTheSecret() {
    String hook = "{\"doc\":{\"hooks\":{\"subscribe\":{\"url\":\"http://127.0.0.1:9/h\"}}}}";
    assertEquals("SB_HOOK_SECRET must be set, at least 32 bytes, when hooks are configured: the backend checks every"
        + " call's signature with it", refusal(hook));
    JsonObject config = config(hook).put(Namespaces.HOOK_SECRET, "x".repeat(32));
    Namespaces namespaces = Namespaces.from(config, 1024);
    assertNotNull(namespaces.of("doc:1").hook(HookKind.SUBSCRIBE));
    assertNull(namespaces.of("doc:1").hook(HookKind.PUBLISH));
    assertNull(namespaces.of("chat:1").hook(HookKind.SUBSCRIBE), "the hook is the doc namespace's alone");
    assertTrue(refusal("{\"doc\":{\"hooks\":{\"publish\":{\"url\":\"ftp://x\"}}}}")
        .startsWith("namespace 'doc': hooks.publish: option 'url' must be an http:// or https:// URL"));
    assertEquals("namespace 'doc': hooks.connect: a connect hook is the node's (a connection is in no namespace yet"
        + " when it connects): put it in the global \"hooks\"",
        refusal("{\"doc\":{\"hooks\":{\"connect\":{\"url\":\"http://x\"}}}}"));
    assertTrue(refusal("{\"doc\":{\"hooks\":{\"konnect\":{\"url\":\"http://x\"}}}}")
        .endsWith("'konnect' is not a hook (connect, subscribe, publish)"));
  }

  @Test
  void theConnectHookIsTheNodesWithTheHeadersItForwards() {
    JsonObject config = config("{\"doc\":{}}").put(Namespaces.HOOK_SECRET, "x".repeat(32))
        .put(Namespaces.HOOKS_KEY, new JsonObject("{\"connect\":{\"url\":\"http://127.0.0.1:9/c\","
            + "\"headers\":[\"Cookie\",\"X-Csrf\"],\"cacheSec\":5}}"));
    Namespaces namespaces = Namespaces.from(config, 1024);
    assertNotNull(namespaces.connectHook());
    assertTrue(namespaces.connectHook().trustsCookies());
    assertNull(namespaces.of("doc:1").hook(HookKind.CONNECT), "no namespace has it");
    assertNull(namespaces.of("chat:1").hook(HookKind.CONNECT));
    assertNull(Namespaces.from(config("{}"), 1024).connectHook());
    assertTrue(globalHookRefusal("{\"connect\":{\"url\":\"http://x\",\"onFailure\":\"allow\"}}")
        .endsWith("option 'onFailure' must be \"refuse\" for a connect hook: without its answer there is no user"));
    assertTrue(globalHookRefusal("{\"connect\":{\"url\":\"http://x\",\"headers\":[\"Authorization\"]}}")
        .contains("cannot forward Authorization"));
    assertTrue(globalHookRefusal("{\"connect\":{\"url\":\"http://x\",\"headers\":[\"bad header\"]}}")
        .contains("option 'headers' must name request headers"));
    assertTrue(globalHookRefusal("{\"subscribe\":{\"url\":\"http://x\",\"headers\":[\"Cookie\"]}}")
        .endsWith("option 'headers' applies to the connect hook only"));
  }

  @Test
  void anonymousNamespacesAreListedAsThePatternsAnAnonymousSubscriberReads() {
    Namespaces namespaces = Namespaces.from(config("{\"poll\":{\"anonymous\":true},\"tv\":{\"anonymous\":true},"
        + "\"doc\":{}}"), 1024);
    assertTrue(namespaces.of("poll:1").anonymous());
    assertFalse(namespaces.of("doc:1").anonymous());
    assertFalse(namespaces.of("other:1").anonymous(), "off by default");
    assertEquals(java.util.List.of("poll:*", "tv:*"), namespaces.anonymousPatterns());
    assertEquals("namespace 'poll': option 'anonymous' must be true or false",
        refusal("{\"poll\":{\"anonymous\":\"yes\"}}"));
  }

  private static String globalHookRefusal(String hooks) {
    JsonObject config = config("{}").put(Namespaces.HOOK_SECRET, "x".repeat(32))
        .put(Namespaces.HOOKS_KEY, new JsonObject(hooks));
    return assertThrows(IllegalArgumentException.class, () -> Namespaces.from(config, 1024)).getMessage();
  }

  @Test
  void equalConfigurationsHashAlikeWhateverTheirKeyOrder() {
    String one = Namespaces.from(config("{\"a\":{\"signals\":false,\"publish\":\"backend\"},\"b\":{}}"), 1024).hash();
    String two = Namespaces.from(config("{\"b\":{},\"a\":{\"publish\":\"backend\",\"signals\":false}}"), 1024).hash();
    String other = Namespaces.from(config("{\"a\":{\"signals\":true}}"), 1024).hash();
    assertEquals(one, two);
    assertNotEquals(one, other);
  }

  private static JsonObject config(String namespaces) {
    return new JsonObject().put(Namespaces.CONFIG_KEY, new JsonObject(namespaces));
  }

  private static String refusal(String namespaces) {
    return assertThrows(IllegalArgumentException.class, () -> Namespaces.from(config(namespaces), 65536))
        .getMessage();
  }
}
