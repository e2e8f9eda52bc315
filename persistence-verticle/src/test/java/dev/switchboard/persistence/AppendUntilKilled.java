package dev.switchboard.persistence;

import dev.switchboard.protocol.AppendRequest;
import io.vertx.core.Vertx;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child process of {@link EmbeddedEventStoreCrashTest}: appends to an {@link EmbeddedEventStore} until killed,
 * printing {@code ack <sessionId> <seq> <payload>} for every event whose batch was acknowledged.
 */
public final class AppendUntilKilled {

  static final int SESSIONS = 3;
  private static final int BATCH = 5;
  private static final int CHAINS = 2;
  private static final long LIFETIME_SECONDS = 60;

  private AppendUntilKilled() {
  }

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    EventStore store = new EmbeddedEventStore(vertx, Path.of(args[0]));
    store.open().await(30, TimeUnit.SECONDS);
    AtomicLong counter = new AtomicLong();
    // Two chains of batches keep a commit queued behind the running one, so the kill can land between any two.
    for (int i = 0; i < CHAINS; i++) {
      vertx.runOnContext(v -> appendNext(store, counter, System.out));
    }
    // Bounded even if nobody kills it.
    Thread.sleep(TimeUnit.SECONDS.toMillis(LIFETIME_SECONDS));
    System.exit(3);
  }

  private static void appendNext(EventStore store, AtomicLong counter, PrintStream out) {
    List<AppendRequest> batch = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      long n = counter.incrementAndGet();
      batch.add(new AppendRequest(session(n), "tick", "{\"n\":" + n + "}", "crash-test", null));
    }
    store.append(batch).onComplete(ar -> {
      if (ar.failed()) {
        ar.cause().printStackTrace();
        System.exit(2);
      }
      for (AppendOutcome outcome : ar.result()) {
        out.println("ack " + outcome.event().sessionId() + " " + outcome.event().seq() + " "
            + outcome.event().payload());
      }
      out.flush();
      appendNext(store, counter, out);
    });
  }

  static String session(long n) {
    return "crash-" + n % SESSIONS;
  }
}
