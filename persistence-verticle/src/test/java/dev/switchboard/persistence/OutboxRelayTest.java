package dev.switchboard.persistence;

import dev.switchboard.protocol.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link OutboxRelay} without a database: one relay in flight, again when needed, pages handed on in order. */
class OutboxRelayTest {

  private final List<Promise<List<AppendOutcome>>> relays = new ArrayList<>();
  private final List<List<AppendOutcome>> relayed = new ArrayList<>();
  private final List<Throwable> failures = new ArrayList<>();
  private final OutboxRelay relay = new OutboxRelay(size -> {
    Promise<List<AppendOutcome>> promise = Promise.promise();
    relays.add(promise);
    return promise.future();
  }, 2, relayed::add, failures::add);

  @Test
  void wakesDuringARelayMakeOneMoreRelayAfterIt() {
    relay.wake();
    relay.wake();
    relay.wake();
    assertEquals(1, relays.size(), "one relay in flight");

    relays.get(0).complete(List.of());
    assertEquals(2, relays.size(), "one more for the wakes that came meanwhile");
    relays.get(1).complete(page(1));
    relays.get(2).complete(List.of());
    assertEquals(3, relays.size(), "then it rests");
    assertEquals(List.of(page(1)), relayed, "empty pages are not handed on");
  }

  @Test
  void relaysAgainUntilAPageComesBackEmpty() {
    relay.wake();
    relays.get(0).complete(page(2));
    relays.get(1).complete(page(1));
    relays.get(2).complete(List.of());
    assertEquals(3, relays.size());
    assertEquals(List.of(page(2), page(1)), relayed);
  }

  @Test
  void aFailureWaitsForTheNextWake() {
    relay.wake();
    relay.wake();
    relays.get(0).fail(new IllegalStateException("down"));
    assertEquals(1, relays.size(), "no retry at once, not even for a wake that came meanwhile");
    assertEquals(1, failures.size());
    relay.wake();
    assertEquals(2, relays.size());
  }

  @Test
  void stopWaitsForTheRelayInFlightAndWakesNoMore() {
    relay.wake();
    Future<Void> stopped = relay.stop();
    assertTrue(!stopped.isComplete());
    relays.get(0).complete(page(2));
    assertTrue(stopped.succeeded());
    relay.wake();
    assertEquals(1, relays.size());
  }

  private static List<AppendOutcome> page(int size) {
    List<AppendOutcome> page = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      page.add(new AppendOutcome(new StoredEvent("s", i, "t", 0, null, "{}"), false));
    }
    return page;
  }
}
