package dev.switchboard.realtime.canary;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Each edge watches the next edge by node id, the last one the first, so every edge is watched by one other. */
class CanaryRingTest {

  @Test
  void watchesTheNextMemberByNodeIdAndWrapsAround() {
    List<String> members = List.of("c", "a", "b");
    assertEquals("b", Canary.next("a", members));
    assertEquals("c", Canary.next("b", members));
    assertEquals("a", Canary.next("c", members));
  }

  @Test
  void watchesNobodyAlone() {
    assertNull(Canary.next("a", List.of("a")));
    assertNull(Canary.next("a", List.of()));
  }

  @Test
  void aMemberThatLeftIsSkipped() {
    assertEquals("d", Canary.next("b", List.of("a", "b", "d")));
  }
}
