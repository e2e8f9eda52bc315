package dev.switchboard.protocol;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared fixtures hand out services that answer. */
class TestServicesTest {

  @Test
  void redisAnswers() {
    URI uri = URI.create(TestRedis.url());
    assertTrue(TestRedis.reachable(uri.getPort()));
  }

  @Test
  void freshPostgresDatabasesAcceptConnections() throws Exception {
    URI uri = URI.create(TestPostgres.freshDatabase());
    try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":"
        + uri.getPort() + uri.getPath(), uri.getUserInfo(), "")) {
      assertTrue(connection.isValid(2));
    }
  }
}
