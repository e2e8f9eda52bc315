package dev.switchboard.realtime.ws;

import dev.switchboard.protocol.PresenceQuery;
import dev.switchboard.protocol.SessionIds;
import dev.switchboard.realtime.wire.Refusal;
import dev.switchboard.realtime.wire.StrictJson;
import dev.switchboard.realtime.wire.WholeNumbers;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Reads WebSocket client frames into {@link ClientCommand}s, in two steps: {@link #read} checks what every frame
 * needs (one JSON object, a usable {@code requestId}, a string {@code type}), {@link #command} the fields of its type.
 * A connection that is still waiting for its {@code auth} frame uses only the first step. Pure: no I/O, no clock.
 *
 * <pre>
 * {"type":"subscribe","requestId":"s1","sessionId":"chat:42","fromEventId":"17"}  -> Subscribe(s1, chat:42, 17)
 * {"type":"subscribe","sessionId":"no spaces"}  -> Invalid(null, bad_request, "sessionId must be ...")
 * </pre>
 */
public final class ClientCommands {

  /** How much of an unknown frame type an error message repeats. */
  private static final int MAX_ECHOED_TYPE_BYTES = 32;

  private ClientCommands() {
  }

  /** A frame with its type and request id, or the refusal that answers it. */
  sealed interface Read {
  }

  record Frame(String type, Object requestId, JsonObject json) implements Read {
  }

  record Unreadable(ClientCommand.Invalid refusal) implements Read {
  }

  /** Step one: the frame's JSON object, request id and type. */
  static Read read(String text) {
    JsonObject json = StrictJson.object(text);
    if (json == null) {
      return unreadable(null, Refusal.MALFORMED_JSON);
    }
    Object requestId = json.getValue("requestId");
    if (requestId != null && !(requestId instanceof String || requestId instanceof Number)) {
      // Echoed in the answer, so it must be something every client can match: docs/PROTOCOL.md, Frames.
      return unreadable(null, Refusal.BAD_REQUEST_ID);
    }
    if (!(json.getValue("type") instanceof String type)) {
      return unreadable(requestId, Refusal.FRAME_WITHOUT_TYPE);
    }
    return new Frame(type, requestId, json);
  }

  /** The token of an {@code auth} frame, or null when it has none. */
  static String token(Frame frame) {
    return frame.json().getValue("token") instanceof String token && !token.isEmpty() ? token : null;
  }

  /**
   * Step two: the command a well-formed frame asks for. {@code urlSession} (null when the URL named none) is the
   * default session of {@code publish}, {@code signal} and {@code presence}.
   */
  static ClientCommand command(Frame frame, String urlSession) {
    Object requestId = frame.requestId();
    JsonObject json = frame.json();
    return switch (frame.type()) {
      case "publish" -> withSession(requestId, json, urlSession,
          sessionId -> new ClientCommand.Publish(requestId, sessionId, json));
      case "signal" -> withSession(requestId, json, urlSession,
          sessionId -> new ClientCommand.SendSignal(requestId, sessionId, json));
      case "subscribe" -> withSession(requestId, json, null, sessionId -> {
        Object from = json.getValue("fromEventId");
        Long fromEventId = WholeNumbers.parse(from);
        Object token = json.getValue("token");
        if (token != null && !(token instanceof String text && !text.isEmpty())) {
          return invalid(requestId, Refusal.BAD_SESSION_TOKEN);
        }
        return from != null && fromEventId == null ? invalid(requestId, Refusal.BAD_FROM_EVENT_ID)
            : new ClientCommand.Subscribe(requestId, sessionId, fromEventId, (String) token);
      });
      case "unsubscribe" -> withSession(requestId, json, null,
          sessionId -> new ClientCommand.Unsubscribe(requestId, sessionId));
      case "read" -> withSession(requestId, json, urlSession, sessionId -> json.getValue("eventId") == null
          ? invalid(requestId, Refusal.BAD_READ_POSITION)
          : new ClientCommand.MarkRead(requestId, sessionId, json.getValue("eventId")));
      case "presence" -> withSession(requestId, json, urlSession, sessionId -> askPresence(requestId, json, sessionId));
      case "auth" -> {
        String token = token(frame);
        yield token == null ? invalid(requestId, Refusal.AUTH_FRAME_WITHOUT_TOKEN)
            : new ClientCommand.Authenticate(requestId, token);
      }
      case "ping" -> new ClientCommand.Ping(requestId);
      default -> invalid(requestId, Refusal.UNKNOWN_FRAME_TYPE, clip(frame.type(), MAX_ECHOED_TYPE_BYTES));
    };
  }

  private static ClientCommand askPresence(Object requestId, JsonObject json, String sessionId) {
    Object cursor = json.getValue("cursor");
    Object limit = json.getValue("limit", PresenceQuery.DEFAULT_LIMIT);
    if ((cursor != null && !(cursor instanceof String)) || !(limit instanceof Integer || limit instanceof Long)
        || ((Number) limit).longValue() < 0) {
      return invalid(requestId, Refusal.BAD_PRESENCE_REQUEST, PresenceQuery.MAX_LIMIT);
    }
    return new ClientCommand.AskPresence(requestId, sessionId, (String) cursor,
        (int) Math.min(((Number) limit).longValue(), PresenceQuery.MAX_LIMIT));
  }

  private static ClientCommand withSession(Object requestId, JsonObject json, String fallback,
                                           Function<String, ClientCommand> then) {
    Object value = json.getValue("sessionId");
    String sessionId = value == null ? fallback : value instanceof String s ? s : null;
    return SessionIds.isValid(sessionId) ? then.apply(sessionId) : invalid(requestId, Refusal.BAD_SESSION_ID);
  }

  private static ClientCommand.Invalid invalid(Object requestId, Refusal refusal, Object... args) {
    return new ClientCommand.Invalid(requestId, refusal.code(), refusal.message(args));
  }

  private static Unreadable unreadable(Object requestId, Refusal refusal) {
    return new Unreadable(invalid(requestId, refusal));
  }

  /** Cuts text to a byte budget (a close reason may carry at most 123 bytes; echoed input is kept short). */
  static String clip(String text, int maxBytes) {
    if (text == null) {
      return "";
    }
    String clipped = text;
    while (clipped.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      clipped = clipped.substring(0, clipped.length() - 1);
    }
    return clipped;
  }
}
