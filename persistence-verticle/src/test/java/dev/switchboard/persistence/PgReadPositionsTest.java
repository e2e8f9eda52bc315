package dev.switchboard.persistence;

import dev.switchboard.protocol.TestPostgres;
import io.vertx.core.Vertx;

class PgReadPositionsTest extends ReadPositionsContract {

  @Override
  protected EventStore newStore(Vertx vertx) {
    return new PgEventStore(vertx, PgConfig.of(TestPostgres.freshDatabase()));
  }
}
