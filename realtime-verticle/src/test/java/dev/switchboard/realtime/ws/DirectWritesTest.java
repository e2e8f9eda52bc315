package dev.switchboard.realtime.ws;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Vert.x upgrade that moves the internals would silently cost ~4.7 KB per idle WebSocket again: fail here instead. */
class DirectWritesTest {

  @Test
  void theVertxOnTheClasspathHasTheDirectWriteQueue() {
    assertTrue(DirectWrites.available(), "see DirectWrites: re-measure idle memory and drop or adapt the swap");
  }
}
