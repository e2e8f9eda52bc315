package dev.switchboard.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The promises of every {@link PositionStore}, written once. */
abstract class PositionStoreContract {

  abstract PositionStore store();

  @Test
  void holdsTheLastPositionOfEachSession() {
    PositionStore store = store();
    assertNull(store.load("poll:1"));
    store.save("poll:1", "5");
    store.save("poll:1", "7");
    store.save("chat", "2");
    assertEquals("7", store.load("poll:1"));
    assertEquals("2", store.load("chat"));
  }

  @Test
  void forgetsARemovedSession() {
    PositionStore store = store();
    store.save("poll:1", "5");
    store.remove("poll:1");
    assertNull(store.load("poll:1"));
  }
}
