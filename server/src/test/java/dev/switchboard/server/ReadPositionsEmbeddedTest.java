package dev.switchboard.server;

import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

/** {@link ReadPositionsContract} on the embedded (SQLite) event store. */
class ReadPositionsEmbeddedTest extends ReadPositionsContract {

  @RegisterExtension
  static final TestNode NODE = TestNode.perClass(Map.of("SB_API_KEY", API_KEY));

  @Override
  TestNode node() {
    return NODE;
  }
}
