package dev.switchboard.realtime.wire;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class StrictJsonTest {

  @Test
  void readsAStrictObjectAsItWasSent() {
    assertEquals("\uD83D\uDE00", StrictJson.object("{\"smile\":\"\\ud83d\\ude00\"}").getString("smile"));
    assertEquals(1.5e300, StrictJson.object("{\"n\":1.5e300}").getDouble("n"));
    assertEquals(-9007199254740993L, StrictJson.object("{\"n\":-9007199254740993}").getLong("n"));
  }

  @Test
  void refusesWhatRfc8259DoesNotAllowOrADoubleCannotHold() {
    assertNull(StrictJson.object("{\"n\":1e400}"), "stored as \"Infinity\" otherwise");
    assertNull(StrictJson.object("{\"n\":-1" + "0".repeat(400) + "}"));
    assertNull(StrictJson.object("{\"s\":\"\\ud800\"}"), "a lone high surrogate, stored as ? otherwise");
    assertNull(StrictJson.object("{\"s\":\"a\\udc00b\"}"), "a lone low surrogate");
    assertNull(StrictJson.object("{\"\\ud800\":1}"), "in a name too");
    assertNull(StrictJson.object("{/* note */\"a\":1}"), "comments");
    assertNull(StrictJson.object("{'a':1}"));
    assertNull(StrictJson.object("{a:1}"));
    assertNull(StrictJson.object("{\"n\":NaN}"));
    assertNull(StrictJson.object("{\"a\":1} {\"b\":2}"), "trailing content");
    assertNull(StrictJson.object("[1,2]"), "not an object");
    assertNull(StrictJson.object("{\"a\":"), "unfinished");
  }
}
