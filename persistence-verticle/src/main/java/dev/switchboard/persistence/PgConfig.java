package dev.switchboard.persistence;

import dev.switchboard.protocol.ConfigReader;
import dev.switchboard.protocol.SharedConfig;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.PoolOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How the PostgreSQL event store connects ({@code SB_PG_*}), validated when built; {@link #toString()} never shows
 * the password.
 *
 * @param url a libpq-style {@code postgresql://user:password@host:port/database?sslmode=...} URL ({@code SB_PG_URL})
 * @param poolSize the most connections one store opens ({@code SB_PG_POOL_SIZE}, default 4)
 * @param connectTimeout the longest wait for a TCP connection, and for a free pooled connection
 *                       ({@code SB_PG_CONNECT_TIMEOUT}, default 5 s)
 * @param queryTimeout the longest wait for PostgreSQL to answer one append, replay or retention step
 *                     ({@code SB_PG_QUERY_TIMEOUT}, default 10 s)
 * @param caFile PEM certificates of the CAs that sign the server's certificate ({@code SB_PG_CA_FILE}), or
 *               {@code null}: required by {@code sslmode=verify-ca} and {@code verify-full}; without it
 *               {@code require} encrypts without verifying, as libpq does
 */
public record PgConfig(String url, int poolSize, Duration connectTimeout, Duration queryTimeout, Path caFile) {

  public static final int DEFAULT_POOL_SIZE = 4;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Requests waiting for a pooled connection beyond this many fail at once instead of queueing behind an outage.
   */
  static final int MAX_WAITING_REQUESTS = 1024;

  private static final String URL = "SB_PG_URL";

  public PgConfig {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("SB_PG_URL must be set");
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("SB_PG_POOL_SIZE must be at least 1, got " + poolSize);
    }
    if (connectTimeout == null || connectTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("SB_PG_CONNECT_TIMEOUT must be positive, got " + connectTimeout);
    }
    if (queryTimeout == null || queryTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("SB_PG_QUERY_TIMEOUT must be positive, got " + queryTimeout);
    }
    if (caFile != null && !Files.isReadable(caFile)) {
      throw new IllegalArgumentException("SB_PG_CA_FILE is not a readable file: " + caFile);
    }
    SslMode mode = parse(url).getSslMode();
    if ((mode == SslMode.VERIFY_CA || mode == SslMode.VERIFY_FULL) && caFile == null) {
      throw new IllegalArgumentException("sslmode=" + mode.value + " in SB_PG_URL needs SB_PG_CA_FILE");
    }
  }

  /** A configuration for {@code url} with the defaults above. */
  public static PgConfig of(String url) {
    return new PgConfig(url, DEFAULT_POOL_SIZE, DEFAULT_CONNECT_TIMEOUT, DEFAULT_QUERY_TIMEOUT, null);
  }

  /**
   * Whether {@code SB_PG_URL} is set, that is, whether the event log is PostgreSQL rather than the embedded store;
   * asked by the server (a cluster needs PostgreSQL) without validating the other {@code SB_PG_*} keys, which only a
   * process running persistence needs.
   */
  public static boolean configuredIn(ConfigReader reader) {
    return reader.string(URL, null) != null;
  }

  /** Reads the {@code SB_PG_*} keys, or answers {@code null} when {@code SB_PG_URL} is unset. */
  public static PgConfig from(ConfigReader reader) {
    String url = reader.string(URL, null);
    if (url == null) {
      return null;
    }
    String caFile = reader.string("SB_PG_CA_FILE", null);
    return new PgConfig(url,
        reader.integer("SB_PG_POOL_SIZE", DEFAULT_POOL_SIZE),
        reader.duration("SB_PG_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT),
        reader.duration("SB_PG_QUERY_TIMEOUT", DEFAULT_QUERY_TIMEOUT),
        caFile == null ? null : Path.of(caFile));
  }

  /** Where and how to connect: the URL's server, credentials and {@code sslmode}, with TLS trust from the CA file. */
  public PgConnectOptions connectOptions() {
    PgConnectOptions options = parse(url);
    if (options.getSslMode() != SslMode.DISABLE) {
      ClientSSLOptions ssl = new ClientSSLOptions();
      if (caFile == null) {
        ssl.setTrustAll(true);
      } else {
        ssl.setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString()));
      }
      if (options.getSslMode() == SslMode.VERIFY_FULL) {
        ssl.setHostnameVerificationAlgorithm("HTTPS");
      }
      options.setSslOptions(ssl);
    }
    String name = options.getProperties().get("application_name");
    if (name == null || name.equals(PgConnectOptions.DEFAULT_PROPERTIES.get("application_name"))) {
      options.addProperty("application_name", "switchboard");
    }
    options.addProperty("client_encoding", "UTF8");
    // Appends rely on each statement of the append function seeing what committed before it took its locks.
    options.addProperty("default_transaction_isolation", "read committed");
    return options;
  }

  /** The pool: bounded in size and in waiting requests, so an outage fails requests instead of queueing them. */
  public PoolOptions poolOptions() {
    return new PoolOptions()
        .setMaxSize(poolSize)
        .setMaxWaitQueueSize(MAX_WAITING_REQUESTS)
        .setConnectionTimeout((int) connectTimeout.toMillis())
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /** The TCP settings: a connect timeout, so an unreachable host fails instead of hanging. */
  public NetClientOptions netOptions() {
    return new NetClientOptions()
        .setConnectTimeout((int) connectTimeout.toMillis())
        .setTcpKeepAlive(true);
  }

  @Override
  public String toString() {
    return "PgConfig[url=" + SharedConfig.redactPassword(url) + ", poolSize=" + poolSize
        + ", connectTimeout=" + connectTimeout + ", queryTimeout=" + queryTimeout + ", caFile=" + caFile + "]";
  }

  private static PgConnectOptions parse(String url) {
    try {
      return PgConnectOptions.fromUri(url);
    } catch (IllegalArgumentException e) {
      // The parser's message repeats the URL, password included: keep it out of logs.
      throw new IllegalArgumentException(
          "SB_PG_URL must look like postgresql://user:password@host:5432/database[?sslmode=require]");
    }
  }
}
