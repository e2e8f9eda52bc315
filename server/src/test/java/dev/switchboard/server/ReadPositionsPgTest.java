package dev.switchboard.server;

import dev.switchboard.protocol.TestPostgres;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

/** {@link ReadPositionsContract} on the PostgreSQL event store. */
class ReadPositionsPgTest extends ReadPositionsContract {

  @RegisterExtension
  static final TestNode NODE = TestNode.perClass(Map.of("SB_API_KEY", API_KEY,
      "SB_PG_URL", TestPostgres.freshDatabase()));

  @Override
  TestNode node() {
    return NODE;
  }
}
