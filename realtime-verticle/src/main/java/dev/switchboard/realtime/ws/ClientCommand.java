package dev.switchboard.realtime.ws;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.realtime.publish.Publisher;
import dev.switchboard.realtime.wire.Frames;
import io.vertx.core.json.JsonObject;

/**
 * A frame a WebSocket client sent, read and checked for shape by {@link ClientCommands} (docs/PROTOCOL.md, Frames).
 * Whether the connection's token allows it is for the connection to decide.
 */
public sealed interface ClientCommand {

  /** The client's request id, a string or a number, or null; echoed in the answer. */
  Object requestId();

  /** {@code publish}: the frame itself is the body {@link Publisher} checks (eventType, payload, idempotencyKey). */
  record Publish(Object requestId, String sessionId, JsonObject body) implements ClientCommand {
  }

  /** {@code signal}: like a publish, never stored. */
  record SendSignal(Object requestId, String sessionId, JsonObject body) implements ClientCommand {
  }

  /**
   * {@code subscribe}; {@code fromEventId} null means live from now on; {@code token}, a session token granting the
   * session (docs/PROTOCOL.md, Per-session tokens), or null.
   */
  record Subscribe(Object requestId, String sessionId, Long fromEventId, String token) implements ClientCommand {
  }

  record Unsubscribe(Object requestId, String sessionId) implements ClientCommand {
  }

  /** {@code read}: moves the user's read position in a session forward; {@code eventId} as the client sent it. */
  record MarkRead(Object requestId, String sessionId, Object eventId) implements ClientCommand {
  }

  /** {@code presence}: one page of the session's presence state. */
  record AskPresence(Object requestId, String sessionId, String cursor, int limit) implements ClientCommand {
  }

  /** {@code auth}: the connection's first token, or a fresh one. */
  record Authenticate(Object requestId, String token) implements ClientCommand {
  }

  record Ping(Object requestId) implements ClientCommand {
  }

  /** A frame refused for its shape: answered with an {@code error} frame; the connection stays open. */
  record Invalid(Object requestId, ErrorCode code, String message) implements ClientCommand {
  }
}
