package dev.switchboard.persistence;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestChecksTest {

  @Test
  void findsTheNulCharacterRawOrEscapedInJsonText() {
    assertTrue(RequestChecks.jsonHasNul("{\"a\":\"x\\u0000\"}"));
    assertTrue(RequestChecks.jsonHasNul("[\"\0\"]"));
    assertTrue(RequestChecks.jsonHasNul("[\"\\\\\\u0000\"]"), "an escaped backslash, then the escape");
  }

  @Test
  void leavesOtherEscapesAlone() {
    assertFalse(RequestChecks.jsonHasNul("{\"a\":\"x\\u0001\\n\\\"u0000\"}"));
    assertFalse(RequestChecks.jsonHasNul("[\"\\\\u0000\"]"), "an escaped backslash, then the text u0000");
  }
}
