package dev.switchboard.protocol;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A PostgreSQL for tests: the machine's at 127.0.0.1:5432 (trust auth, database {@code test}) when it answers, else
 * an embedded PostgreSQL started once per JVM. Each call of {@link #freshDatabase()} creates an empty database.
 */
public final class TestPostgres {

  private static String baseUrl;
  private static String user;
  private static final List<String> created = new ArrayList<>();

  private TestPostgres() {
  }

  /** A {@code postgresql://user@host:port/db} URL of a new, empty database. */
  public static synchronized String freshDatabase() {
    start();
    String name = "sb_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection admin = admin(); Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test database", e);
    }
    created.add(name);
    return baseUrl + "/" + name;
  }

  private static Connection admin() throws SQLException {
    return DriverManager.getConnection("jdbc:" + baseUrl.replace("postgresql://" + user + "@", "postgresql://")
        + "/postgres", user, "");
  }

  /** Drops this JVM's test databases, so a shared PostgreSQL does not collect them run after run. */
  private static synchronized void dropCreated() {
    try (Connection admin = admin(); Statement statement = admin.createStatement()) {
      for (String name : created) {
        statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    } catch (SQLException ignored) {
      // Best effort at exit: an embedded server is going away anyway.
    }
  }

  private static void start() {
    if (baseUrl != null) {
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::dropCreated));
    if (TestRedis.reachable(5432) && canLogIn("postgres")) {
      user = "postgres";
      baseUrl = "postgresql://postgres@127.0.0.1:5432";
      return;
    }
    try {
      EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          embedded.close();
        } catch (IOException ignored) {
          // The JVM is exiting anyway.
        }
      }));
      user = "postgres";
      baseUrl = "postgresql://postgres@127.0.0.1:" + embedded.getPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start an embedded PostgreSQL", e);
    }
  }

  private static boolean canLogIn(String role) {
    try (Connection ignored = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", role, "")) {
      return true;
    } catch (SQLException e) {
      return false;
    }
  }
}
