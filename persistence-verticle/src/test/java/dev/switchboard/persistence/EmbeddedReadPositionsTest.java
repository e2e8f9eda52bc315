package dev.switchboard.persistence;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class EmbeddedReadPositionsTest extends ReadPositionsContract {

  @TempDir
  Path dir;

  @Override
  protected EventStore newStore(Vertx vertx) {
    return new EmbeddedEventStore(vertx, dir.resolve("data"));
  }
}
