package dev.switchboard.persistence;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonTextTest {

  @Test
  void dropsWhitespaceBetweenTokensAndKeepsNumbersExact() {
    assertEquals("{\"a\":[1,2.50,1e400],\"b\":{\"c\":null}}",
        JsonText.compact("{\"a\": [1, 2.50, 1e400], \"b\": {\"c\": null}}"));
  }

  @Test
  void keepsStringsAsTheyAreEscapedQuotesIncluded() {
    String json = "{\"say\": \"a \\\"quoted\\\" word, then: spaces \\\\\", \"x\": \" \"}";

    assertEquals("{\"say\":\"a \\\"quoted\\\" word, then: spaces \\\\\",\"x\":\" \"}", JsonText.compact(json));
  }
}
