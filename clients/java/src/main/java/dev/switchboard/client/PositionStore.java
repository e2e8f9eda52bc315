package dev.switchboard.client;

/**
 * Where the client keeps each session's position (the eventId it has delivered everything up to), so that an app
 * killed by the operating system resumes after a restart from where it was: a session subscribed without an explicit
 * {@code fromEventId} starts from its stored position.
 *
 * <p>Contract: {@link #save} is called after the listener's {@code onEvent} (or {@code onReset}) for that position
 * has returned, never before, from one client thread at a time and in order (a burst of events may be stored as its
 * last position only); {@link #load} when a session is subscribed. A stored position is therefore never ahead of what the application has handled, and events after it
 * are delivered again after a restart. The one event whose listener had returned when the process died but whose
 * position was not yet written is delivered again: an application that must not handle it twice writes its own
 * effect and the position in one transaction (its own store, for example SQLite/Room on Android).
 *
 * <p>A failing {@code save} is reported through {@code onError} and does not stop delivery.
 */
public interface PositionStore {

  /** The stored position of a session, or null when none is stored. */
  String load(String sessionId);

  /** Stores a session's position (replacing the previous one). */
  void save(String sessionId, String eventId);

  /** Forgets a session's position (the application unsubscribed). */
  void remove(String sessionId);
}
