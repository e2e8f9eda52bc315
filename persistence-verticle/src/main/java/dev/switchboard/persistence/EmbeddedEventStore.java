package dev.switchboard.persistence;

import dev.switchboard.protocol.AppendRequest;
import dev.switchboard.protocol.DeliveredUpdate;
import dev.switchboard.protocol.PositionsList;
import dev.switchboard.protocol.PositionsQuery;
import dev.switchboard.protocol.ReadRequest;
import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.ReplayResult;
import dev.switchboard.protocol.SessionPositions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The single-node {@link EventStore}: one SQLite file, {@code <dataDir>/events.db}, through the xerial JDBC driver.
 *
 * <p>Single node only: one process opens a data directory at a time. Every write runs on one dedicated thread, which
 * is what serialises sequence allocation without locks; replays run on a small pool of reader connections, which WAL
 * mode lets read a committed snapshot while the writer commits. Commits are synced ({@code synchronous=FULL}), so an
 * acknowledged batch survives kill -9 and power loss.
 */
public final class EmbeddedEventStore implements EventStore {

  /** The database file inside the data directory. */
  public static final String FILE_NAME = "events.db";

  private static final int READERS = 2;
  /** How long closing waits for the replays already queued before it closes their connections. */
  private static final Duration QUEUED_REPLAYS_GRACE = Duration.ofMinutes(1);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final Vertx vertx;
  private final Path dataDir;
  private final String threadName = "sb-event-store-" + INSTANCES.incrementAndGet();
  private final BlockingQueue<SqliteEventConnection> readers = new ArrayBlockingQueue<>(READERS);

  /** Non-null from {@link #open} until {@link #close}. */
  private volatile SqlThreads threads;
  /** Written and used on the writer thread only. */
  private volatile SqliteEventConnection writer;

  public EmbeddedEventStore(Vertx vertx, Path dataDir) {
    this.vertx = vertx;
    this.dataDir = dataDir;
  }

  /** {@inheritDoc} */
  @Override
  public synchronized Future<Void> open() {
    if (threads != null) {
      return Future.failedFuture(new IllegalStateException("event store already open"));
    }
    SqlThreads opening = new SqlThreads(threadName);
    threads = opening;
    Path file = dataDir.resolve(FILE_NAME);
    return run(opening.writer(), () -> {
      Files.createDirectories(dataDir);
      SqliteEventConnection connection = SqliteEventConnection.open(file);
      try {
        connection.migrate();
        for (int i = 0; i < READERS; i++) {
          readers.add(SqliteEventConnection.open(file));
        }
      } catch (SQLException | RuntimeException e) {
        closeQuietly(connection, e);
        closeReaders(e);
        throw e;
      }
      writer = connection;
      return (Void) null;
    }).onFailure(e -> abandon(opening));
  }

  /** {@inheritDoc} */
  @Override
  public synchronized Future<Void> close() {
    SqlThreads closing = threads;
    if (closing == null) {
      return Future.succeededFuture();
    }
    threads = null;
    // Replays already queued still run: shutdown() rejects new tasks only.
    closing.readers().shutdown();
    Future<Void> closed = run(closing.writer(), () -> {
      closing.readers().awaitTermination(QUEUED_REPLAYS_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      SqliteEventConnection connection = writer;
      writer = null;
      SQLException failure = new SQLException("closing the event store failed");
      if (connection != null) {
        closeQuietly(connection, failure);
      }
      closeReaders(failure);
      if (failure.getSuppressed().length > 0) {
        throw failure;
      }
      return (Void) null;
    });
    // Queued after the appends already submitted, so they commit first; later submissions are rejected.
    closing.writer().shutdown();
    return closed;
  }

  /** {@inheritDoc} */
  @Override
  public Future<List<AppendOutcome>> append(List<AppendRequest> batch) {
    List<AppendRequest> requests = List.copyOf(batch);
    return onWriter(connection -> connection.append(requests, System.currentTimeMillis()));
  }

  /** {@inheritDoc} */
  @Override
  public Future<ReplayResult> replay(ReplayRequest request) {
    IllegalArgumentException refusal = ReplayDecision.refusal(request);
    if (refusal != null) {
      return Future.failedFuture(refusal);
    }
    SqlThreads current = threads;
    if (current == null) {
      return Future.failedFuture(notOpen());
    }
    return onReader(current, reader -> reader.replay(request));
  }

  /** {@inheritDoc} */
  @Override
  public Future<Void> advanceDelivered(DeliveredUpdate update) {
    return onWriter(connection -> connection.advanceDelivered(update));
  }

  /** {@inheritDoc} */
  @Override
  public Future<SessionPositions> advanceRead(ReadRequest request) {
    return onWriter(connection -> connection.advanceRead(request));
  }

  /** {@inheritDoc} */
  @Override
  public Future<PositionsList> positions(PositionsQuery query) {
    SqlThreads current = threads;
    if (current == null) {
      return Future.failedFuture(notOpen());
    }
    return onReader(current, reader -> reader.positions(query));
  }

  private <T> Future<T> onReader(SqlThreads current, SqlWork<T> work) {
    return run(current.readers(), () -> {
      // As many reader threads as connections: a running task always finds one free.
      SqliteEventConnection reader = readers.poll();
      if (reader == null) {
        throw notOpen();
      }
      try {
        return work.apply(reader);
      } finally {
        readers.add(reader);
      }
    });
  }

  /** {@inheritDoc} */
  @Override
  public Future<Long> deleteOlderThan(long cutoffEpochMillis, Set<String> exceptNamespaces) {
    // One writer task per chunk: appends queued meanwhile commit between chunks instead of waiting for the whole sweep.
    return RetentionChunks.deleteAll(
        () -> onWriter(connection -> connection.deleteChunk(cutoffEpochMillis, exceptNamespaces,
            RetentionChunks.CHUNK_SIZE)),
        () -> threads != null);
  }

  /** {@inheritDoc} */
  @Override
  public Future<Long> deleteOlderThan(String sessionPrefix, long cutoffEpochMillis) {
    String end = EventStore.prefixEnd(sessionPrefix);
    return RetentionChunks.deleteAll(
        () -> onWriter(connection -> connection.deleteChunk(sessionPrefix, end, cutoffEpochMillis,
            RetentionChunks.CHUNK_SIZE)),
        () -> threads != null);
  }

  private <T> Future<T> onWriter(SqlWork<T> work) {
    SqlThreads current = threads;
    if (current == null) {
      return Future.failedFuture(notOpen());
    }
    return run(current.writer(), () -> {
      SqliteEventConnection connection = writer;
      if (connection == null) {
        throw notOpen();
      }
      return work.apply(connection);
    });
  }

  /** Runs blocking work on {@code executor} and completes the future on the caller's context. */
  private <T> Future<T> run(ExecutorService executor, Callable<T> work) {
    Context context = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    try {
      executor.execute(() -> {
        try {
          T result = work.call();
          context.runOnContext(v -> promise.complete(result));
        } catch (Throwable e) {
          context.runOnContext(v -> promise.fail(e));
        }
      });
    } catch (RejectedExecutionException e) {
      return Future.failedFuture(notOpen());
    }
    return promise.future();
  }

  private synchronized void abandon(SqlThreads opening) {
    if (threads == opening) {
      threads = null;
    }
    opening.readers().shutdown();
    opening.writer().shutdown();
  }

  private void closeReaders(Exception failure) {
    SqliteEventConnection reader;
    while ((reader = readers.poll()) != null) {
      closeQuietly(reader, failure);
    }
  }

  private static void closeQuietly(SqliteEventConnection connection, Exception failure) {
    try {
      connection.close();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  private static IllegalStateException notOpen() {
    return new IllegalStateException("event store is not open");
  }

  /** Blocking work on one of the store's connections. */
  @FunctionalInterface
  private interface SqlWork<T> {
    T apply(SqliteEventConnection connection) throws SQLException;
  }

  /**
   * The writer thread and the reader pool. Daemon threads: an abandoned store must not keep the JVM alive, and an
   * interrupted transaction is simply rolled back by SQLite on the next open.
   */
  private record SqlThreads(ExecutorService writer, ExecutorService readers) {

    SqlThreads(String name) {
      this(Executors.newSingleThreadExecutor(daemon(name + "-writer")),
          Executors.newFixedThreadPool(READERS, daemon(name + "-reader")));
    }

    private static ThreadFactory daemon(String name) {
      AtomicInteger count = new AtomicInteger();
      return task -> {
        Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      };
    }
  }
}
