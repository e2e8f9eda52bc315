package dev.switchboard.client;

class InMemoryPositionStoreTest extends PositionStoreContract {

  @Override
  PositionStore store() {
    return new InMemoryPositionStore();
  }
}
