package dev.switchboard.presence;

import io.vertx.core.Vertx;

class InMemoryPresenceStoreTest extends PresenceStoreContract {

  @Override
  protected PresenceStore newStore(Vertx vertx) {
    return new InMemoryPresenceStore();
  }
}
