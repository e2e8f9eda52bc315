package dev.switchboard.realtime;

import dev.switchboard.protocol.Principal;
import dev.switchboard.realtime.wire.Refusal;

/**
 * What an operator's order can do to an open connection, whatever its transport (docs/PROTOCOL.md, Control API):
 * end it, or end one of its subscriptions. Used on the connection's loop.
 */
public interface OperatorTarget {

  /** Who the connection is: the user of its current token, or null while a WebSocket has not authenticated yet. */
  Principal principal();

  /** Ends the connection with the refusal (a WebSocket closes with its code; a stream or poll answers with it). */
  void close(Refusal refusal, Object... args);

  /** Ends the subscription to {@code sessionId}, if it has one, saying {@code why}; the connection goes on. */
  void unsubscribe(String sessionId, Refusal why);
}
