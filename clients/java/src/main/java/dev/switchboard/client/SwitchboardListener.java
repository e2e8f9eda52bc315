package dev.switchboard.client;

/**
 * What the application hears from the client. Every method is called on the client's callback executor (the one
 * given to {@link ClientOptions.Builder#callbackExecutor}), one call at a time and in the order things happened, so
 * an implementation needs no locking of its own. Each method does nothing by default.
 */
public interface SwitchboardListener {

  /**
   * A new event of a subscribed session, in eventId order, never twice. The session's position is stored (see
   * {@link PositionStore}) after this method returns.
   */
  default void onEvent(Event event) {
  }

  /**
   * The session's position could not be resumed ({@code unknown_event}, {@code history_expired}): the application
   * reloads the session's state; events continue after {@code lastEventId}.
   */
  default void onReset(String sessionId, String reason, String lastEventId) {
  }

  default void onPresence(PresenceChange change) {
  }

  default void onSignal(Signal signal) {
  }

  default void onStateChange(ConnectionState state) {
  }

  /** A failure the application may want to know about: a refused subscription, a token callback that failed, ... */
  default void onError(SwitchboardException error) {
  }
}
