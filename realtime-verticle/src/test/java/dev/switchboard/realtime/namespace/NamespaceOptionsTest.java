package dev.switchboard.realtime.namespace;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The history, presence and rate options of namespaces: their defaults, and what a wrong value says at start. */
class NamespaceOptionsTest {

  @Test
  void presenceJoinLeaveAndRateDefaultToTheGlobalBehaviour() {
    Namespaces namespaces = Namespaces.from(config("{\"quiet\":{\"presence\":false},\"crowd\":{\"joinLeave\":false},"
        + "\"slow\":{\"publishRate\":30},\"fast\":{\"publishRate\":600,\"publishBurst\":50},"
        + "\"doc\":{\"history\":\"keep\"},\"poll\":{\"history\":\"7d\"}}"), 65536);
    NamespaceOptions plain = namespaces.of("chat:1");
    assertTrue(plain.presence() && plain.joinLeave() && !plain.ownPublishRate());
    assertFalse(namespaces.of("quiet:1").presence());
    assertFalse(namespaces.of("quiet:1").joinLeave(), "no presence, so nothing to broadcast");
    assertTrue(namespaces.of("crowd:1").presence());
    assertFalse(namespaces.of("crowd:1").joinLeave());
    assertEquals(30, namespaces.of("slow:1").publishRate());
    assertEquals(30, namespaces.of("slow:1").publishBurst(), "the burst is a minute's worth unless given");
    assertEquals(50, namespaces.of("fast:1").publishBurst());
    assertTrue(namespaces.of("doc:1").presence(), "history alone changes nothing at the edge");
  }

  @Test
  void aWrongValueNamesTheNamespaceAndTheOption() {
    assertEquals("namespace 'doc': option 'history' must be a positive duration such as 30s, 15m, 24h or 7d, or"
        + " \"keep\"", refusal("{\"doc\":{\"history\":\"forever\"}}"));
    assertEquals(refusal("{\"doc\":{\"history\":\"forever\"}}"), refusal("{\"doc\":{\"history\":86400}}"));
    assertEquals(refusal("{\"doc\":{\"history\":\"forever\"}}"), refusal("{\"doc\":{\"history\":\"0s\"}}"));
    assertEquals("namespace 'quiet': option 'presence' must be true or false",
        refusal("{\"quiet\":{\"presence\":\"no\"}}"));
    assertEquals("namespace 'crowd': option 'joinLeave' must be true or false",
        refusal("{\"crowd\":{\"joinLeave\":0}}"));
    assertEquals("namespace 'quiet': option 'joinLeave' has no effect with presence false: leave it out",
        refusal("{\"quiet\":{\"presence\":false,\"joinLeave\":true}}"));
    assertEquals("namespace 'slow': option 'publishRate' must be a whole number of 1-1000000 (per user per minute)",
        refusal("{\"slow\":{\"publishRate\":0}}"));
    assertEquals(refusal("{\"slow\":{\"publishRate\":0}}"), refusal("{\"slow\":{\"publishRate\":\"10/min\"}}"));
    assertEquals("namespace 'slow': option 'publishBurst' must be a whole number of 1-1000000",
        refusal("{\"slow\":{\"publishRate\":10,\"publishBurst\":0}}"));
    assertEquals("namespace 'slow': option 'publishBurst' needs publishRate",
        refusal("{\"slow\":{\"publishBurst\":5}}"));
  }

  @Test
  void theOptionsAreInTheClusterHash() {
    String without = Namespaces.from(config("{\"a\":{}}"), 1024).hash();
    for (String option : new String[] {"\"history\":\"1h\"", "\"presence\":false", "\"joinLeave\":false",
        "\"publishRate\":5"}) {
      assertTrue(!without.equals(Namespaces.from(config("{\"a\":{" + option + "}}"), 1024).hash()), option);
    }
  }

  private static JsonObject config(String namespaces) {
    return new JsonObject().put(Namespaces.CONFIG_KEY, new JsonObject(namespaces));
  }

  private static String refusal(String namespaces) {
    return assertThrows(IllegalArgumentException.class, () -> Namespaces.from(config(namespaces), 65536))
        .getMessage();
  }
}
