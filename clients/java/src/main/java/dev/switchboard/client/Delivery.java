package dev.switchboard.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands what happened to the application's listener on its executor, one call at a time and in order, and stores a
 * session's position once the listener has returned from the event (or reset) that reached it.
 *
 * <p>Positions are written on the client loop, not on the callback executor (often Android's main thread, where disk
 * writes are frowned upon), and a burst of events coalesces into one write per session: the store always holds a
 * position whose listener call has returned, at most a few events behind.
 */
final class Delivery {

  private static final Logger LOG = Logger.getLogger(Delivery.class.getName());

  private final SwitchboardListener listener;
  private final SerialExecutor callbacks;
  private final PositionStore store;
  private final ClientLoop loop;
  private final Map<String, String> unsaved = new ConcurrentHashMap<>();

  Delivery(SwitchboardListener listener, Executor executor, PositionStore store, ClientLoop loop) {
    this.listener = listener;
    this.callbacks = new SerialExecutor(executor);
    this.store = store;
    this.loop = loop;
  }

  Executor callbacks() {
    return callbacks;
  }

  void event(Event event) {
    callbacks.execute(() -> {
      safely(() -> listener.onEvent(event));
      handled(event.sessionId(), event.eventId());
    });
  }

  void reset(String sessionId, String reason, String lastEventId) {
    callbacks.execute(() -> {
      safely(() -> listener.onReset(sessionId, reason, lastEventId));
      handled(sessionId, lastEventId);
    });
  }

  /** A {@code replayed} position, when nothing new was delivered: nothing to hand over, only to remember. */
  void position(String sessionId, String eventId) {
    callbacks.execute(() -> handled(sessionId, eventId));
  }

  void presence(PresenceChange change) {
    callbacks.execute(() -> safely(() -> listener.onPresence(change)));
  }

  void signal(Signal signal) {
    callbacks.execute(() -> safely(() -> listener.onSignal(signal)));
  }

  void state(ConnectionState state) {
    callbacks.execute(() -> safely(() -> listener.onStateChange(state)));
  }

  void error(SwitchboardException error) {
    callbacks.execute(() -> safely(() -> listener.onError(error)));
  }

  /** The session was unsubscribed: its stored position goes too (after what is queued for it). */
  void forget(String sessionId) {
    callbacks.execute(() -> loop.execute(() -> {
      unsaved.remove(sessionId);
      store.remove(sessionId);
    }));
  }

  /** The client closes: positions handled but not yet written are written now, on the closing thread. */
  void flushPositions() {
    for (String sessionId : unsaved.keySet()) {
      save(sessionId);
    }
  }

  private void handled(String sessionId, String eventId) {
    if (unsaved.put(sessionId, eventId) == null) {
      loop.execute(() -> save(sessionId));
    }
  }

  private void save(String sessionId) {
    String eventId = unsaved.remove(sessionId);
    if (eventId == null) {
      return;
    }
    try {
      store.save(sessionId, eventId);
    } catch (RuntimeException e) {
      error(SwitchboardException.of(ErrorCode.INTERNAL, "the position store failed: " + e, e)
          .withSession(sessionId));
    }
  }

  /** A listener that throws must not stop delivery to itself or the client's work. */
  private static void safely(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the Switchboard listener threw; delivery goes on", e);
    }
  }
}
