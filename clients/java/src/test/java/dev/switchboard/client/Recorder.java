package dev.switchboard.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/** A listener that records everything it hears, and waits for outcomes with generous deadlines. */
final class Recorder implements SwitchboardListener {

  static final Duration DEADLINE = Duration.ofSeconds(30);

  final List<Event> events = new CopyOnWriteArrayList<>();
  final List<ConnectionState> states = new CopyOnWriteArrayList<>();
  final List<SwitchboardException> errors = new CopyOnWriteArrayList<>();
  final List<PresenceChange> presence = new CopyOnWriteArrayList<>();
  final List<Signal> signals = new CopyOnWriteArrayList<>();
  volatile Thread callbackThread;

  @Override
  public void onEvent(Event event) {
    callbackThread = Thread.currentThread();
    events.add(event);
  }

  @Override
  public void onStateChange(ConnectionState state) {
    states.add(state);
  }

  @Override
  public void onError(SwitchboardException error) {
    errors.add(error);
  }

  @Override
  public void onPresence(PresenceChange change) {
    presence.add(change);
  }

  @Override
  public void onSignal(Signal signal) {
    signals.add(signal);
  }

  /** The eventIds received for a session, in the order received. */
  List<Long> sequence(String sessionId) {
    return events.stream().filter(e -> e.sessionId().equals(sessionId)).map(Event::sequence)
        .collect(Collectors.toList());
  }

  ConnectionState lastState() {
    return states.isEmpty() ? null : states.get(states.size() - 1);
  }

  boolean connectedOn(Transport transport) {
    ConnectionState state = lastState();
    return state != null && state.phase() == ConnectionState.Phase.CONNECTED && state.transport() == transport;
  }

  boolean sawState(Predicate<ConnectionState> which) {
    return states.stream().anyMatch(which);
  }

  void awaitCount(String sessionId, int count) {
    until(() -> sequence(sessionId).size() >= count, sessionId + " has " + count + " events (has "
        + sequence(sessionId).size() + ")");
  }

  void awaitConnected(Transport transport) {
    until(() -> connectedOn(transport), "connected on " + transport + " (states " + states + ")");
  }

  static void until(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not within " + DEADLINE + ": " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted waiting for " + what);
      }
    }
  }

  /** 1..n, for comparing with {@link #sequence}. */
  static List<Long> oneTo(long n) {
    List<Long> expected = new ArrayList<>();
    for (long i = 1; i <= n; i++) {
      expected.add(i);
    }
    return expected;
  }
}
