package dev.switchboard.realtime.wire;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.realtime.http.HttpErrors;
import dev.switchboard.realtime.sse.SseStream;
import dev.switchboard.realtime.ws.WebSocketConnection;

/**
 * The closed catalogue of what the edge refuses, each refusal written once (docs/PROTOCOL.md, Errors and close
 * codes): its error code, which gives the {@code error} frame's code and the HTTP status; the WebSocket close code
 * when the refusal ends a WebSocket (null when it never does); and its text, a format taking the refusal's numbers.
 * Transports put refusals on the wire in one place each: {@link HttpErrors} (HTTP), {@link WebSocketConnection}
 * (error frames and closes) and {@link SseStream} (the last frame of a stream).
 */
public enum Refusal {

  // The shape of a request or frame.
  BAD_SESSION_ID(ErrorCode.BAD_REQUEST, CloseReason.PROTOCOL_VIOLATION,
      "sessionId must be 1-128 characters of [A-Za-z0-9._:-]"),
  BAD_FROM_EVENT_ID(ErrorCode.BAD_REQUEST, CloseReason.PROTOCOL_VIOLATION, "fromEventId must be a non-negative eventId"),
  BAD_STREAM_SESSIONS(ErrorCode.BAD_REQUEST, null, "name one or more distinct sessionIds of [A-Za-z0-9._:-]"),
  BAD_STREAM_POSITIONS(ErrorCode.BAD_REQUEST, null,
      "fromEventId (one per sessionId) or Last-Event-ID must be eventIds of the stream's sessions"),
  BAD_POLL_PARAMETERS(ErrorCode.BAD_REQUEST, null, "fromEventId must be an eventId and timeoutMs a number"),
  BAD_HISTORY_PARAMETERS(ErrorCode.BAD_REQUEST, null, "after must be an eventId and limit 1-%d"),
  BAD_PRESENCE_LIMIT(ErrorCode.BAD_REQUEST, null, "limit must be 0-%d"),
  BAD_PRESENCE_REQUEST(ErrorCode.BAD_REQUEST, null, "cursor must be a string and limit 0-%d"),
  EVENTS_WITHOUT_UPGRADE(ErrorCode.BAD_REQUEST, null,
      "GET /events needs a WebSocket upgrade or Accept: text/event-stream"),
  BODY_NOT_AN_OBJECT(ErrorCode.BAD_REQUEST, null, "the body must be a JSON object"),
  DEV_TOKEN_WITHOUT_SUB(ErrorCode.BAD_REQUEST, null, "the body must be a JSON object with at least \"sub\""),
  BAD_DEV_TOKEN_REQUEST(ErrorCode.BAD_REQUEST, null,
      "expected {\"sub\",\"sessions\":[...],\"publish\":[...],\"name\",\"actorType\",\"ttlSec\"}"),
  MALFORMED_URL(ErrorCode.BAD_REQUEST, null, "malformed percent-encoding in the URL"),
  MALFORMED_HTTP(ErrorCode.BAD_REQUEST, null, "malformed HTTP request"),
  REQUEST_LINE_TOO_LONG(ErrorCode.TOO_LARGE, null, "the request line is limited to %d bytes"),
  HEADERS_TOO_LARGE(ErrorCode.TOO_LARGE, null, "request headers are limited to %d bytes"),
  MALFORMED_JSON(ErrorCode.BAD_REQUEST, null, "malformed JSON: each frame must be one JSON object"),
  BAD_REQUEST_ID(ErrorCode.BAD_REQUEST, null, "requestId must be a string or a number"),
  FRAME_WITHOUT_TYPE(ErrorCode.BAD_REQUEST, null, "a frame needs a string \"type\""),
  UNKNOWN_FRAME_TYPE(ErrorCode.BAD_REQUEST, null, "unknown frame type '%s'"),
  BINARY_FRAME(ErrorCode.BAD_REQUEST, null, "binary frames are not supported: send JSON text frames"),
  MALFORMED_WEBSOCKET_FRAME(ErrorCode.BAD_REQUEST, CloseReason.PROTOCOL_VIOLATION, "malformed WebSocket frame"),
  FRAME_TOO_LARGE(ErrorCode.TOO_LARGE, CloseReason.TOO_LARGE, "frames are limited to %d bytes"),
  PAYLOAD_TOO_LARGE(ErrorCode.TOO_LARGE, null, "payloads are limited to %d bytes in this namespace"),
  ALREADY_SUBSCRIBED(ErrorCode.BAD_REQUEST, null, "already subscribed to this session"),
  TOO_MANY_SUBSCRIPTIONS(ErrorCode.BAD_REQUEST, null, "at most %d sessions per connection"),
  BAD_EVENT_TYPE(ErrorCode.BAD_REQUEST, null, "eventType must be a string of 1-%d characters"),
  PAYLOAD_TOO_DEEP(ErrorCode.BAD_REQUEST, null, "payload nests deeper than %d levels"),
  PAYLOAD_AGAINST_SCHEMA(ErrorCode.BAD_REQUEST, null, "payload does not match the schema of '%s': %s"),
  BAD_IDEMPOTENCY_KEY(ErrorCode.BAD_REQUEST, null, "idempotencyKey must be a string of 1-%d characters"),
  BAD_USER_ID(ErrorCode.BAD_REQUEST, null, "userId must be a string of 1-%d characters"),
  BAD_READ_POSITION(ErrorCode.BAD_REQUEST, null, "eventId must be a non-negative eventId"),
  BAD_ACTOR_TYPE(ErrorCode.BAD_REQUEST, CloseReason.PROTOCOL_VIOLATION,
      "actorType must be 1-32 characters of [a-z0-9_-]"),
  BAD_LISTED_SESSIONS(ErrorCode.BAD_REQUEST, null, "name at most %d sessionIds of [A-Za-z0-9._:-]"),
  BAD_SESSION_TOKEN(ErrorCode.BAD_REQUEST, null, "token must be a session token: a non-empty string"),
  AUTH_FRAME_WITHOUT_TOKEN(ErrorCode.BAD_REQUEST, CloseReason.UNAUTHORIZED, "the auth frame needs a token"),
  BAD_DISCONNECT(ErrorCode.BAD_REQUEST, null,
      "expected {\"reconnect\":true|false,\"reason\":\"1-%d bytes, no control characters\"}, both optional"),
  BAD_REVOKE(ErrorCode.BAD_REQUEST, null,
      "expected {\"jti\":\"1-%d characters\",\"exp\":the token's exp in seconds since the epoch}"),

  // Who is asking.
  NO_TOKEN(ErrorCode.UNAUTHORIZED, null, "a token is required (Authorization: Bearer or access_token)"),
  NO_TOKEN_IN_TIME(ErrorCode.UNAUTHORIZED, CloseReason.UNAUTHORIZED, "no token: send an auth frame within %d s"),
  AUTHENTICATE_FIRST(ErrorCode.UNAUTHORIZED, CloseReason.UNAUTHORIZED, "authenticate first"),
  TOKEN_EXPIRED(ErrorCode.UNAUTHORIZED, CloseReason.UNAUTHORIZED, "token expired"),
  INVALID_API_KEY(ErrorCode.UNAUTHORIZED, null, "invalid API key"),
  API_KEY_REQUIRED(ErrorCode.UNAUTHORIZED, null, "the control API needs the server API key (X-Api-Key)"),
  TOKEN_REVOKED(ErrorCode.UNAUTHORIZED, CloseReason.UNAUTHORIZED, "token revoked"),
  SESSION_TOKEN_EXPIRED(ErrorCode.UNAUTHORIZED, null, "session token expired"),
  SESSION_FORBIDDEN(ErrorCode.FORBIDDEN, CloseReason.FORBIDDEN, "the token does not allow this session"),
  PUBLISH_FORBIDDEN(ErrorCode.FORBIDDEN, null, "the token does not allow publishing to this session"),
  ANONYMOUS_READ_ONLY(ErrorCode.FORBIDDEN, null,
      "anonymous subscribers only read: connect with a token to publish or send signals"),
  BACKEND_PUBLISHES_ONLY(ErrorCode.FORBIDDEN, null, "only the application's backend publishes in this namespace"),
  SIGNALS_OFF(ErrorCode.FORBIDDEN, null, "signals are off in this namespace"),
  SESSION_TOKEN_FOR_ANOTHER_USER(ErrorCode.FORBIDDEN, null, "the session token is for another user"),
  SESSION_TOKEN_FOR_ANOTHER_SESSION(ErrorCode.FORBIDDEN, null, "the session token is for another session"),
  PRESENCE_OFF(ErrorCode.NOT_FOUND, null, "presence is off in this namespace"),
  REFRESH_FOR_ANOTHER_USER(ErrorCode.FORBIDDEN, null, "the new token is for another user; the old one stays in force"),
  ORIGIN_FORBIDDEN(ErrorCode.FORBIDDEN, CloseReason.FORBIDDEN, "origin not allowed"),
  CLIENT_CERTIFICATE_NEEDED(ErrorCode.FORBIDDEN, null,
      "metrics on this port need a client certificate signed by a CA of SB_TLS_CA_FILE"),

  // An operator (docs/PROTOCOL.md, Control API); the text ends with the operator's reason, or what to do.
  OPERATOR_DISCONNECT(ErrorCode.UNAVAILABLE, CloseReason.OPERATOR_DISCONNECT, "disconnected by an operator: %s"),
  OPERATOR_TERMINATED(ErrorCode.FORBIDDEN, CloseReason.TERMINATED, "disconnected by an operator: %s"),
  UNSUBSCRIBED(ErrorCode.FORBIDDEN, null, "unsubscribed by an operator"),

  // The application's backend (docs/PROTOCOL.md, Backend hooks); the text ends with the backend's reason.
  HOOK_REFUSED(ErrorCode.FORBIDDEN, CloseReason.FORBIDDEN, "refused by the application: %s"),
  HOOK_UNAUTHENTICATED(ErrorCode.UNAUTHORIZED, CloseReason.UNAUTHORIZED, "refused by the application: %s"),
  HOOK_UNAVAILABLE(ErrorCode.UNAVAILABLE, CloseReason.INTERNAL, "the application's %s hook did not answer; retry later"),
  HOOK_BAD_PAYLOAD(ErrorCode.UNAVAILABLE, null, "the application's publish hook answered a payload that cannot be stored"),

  // How much.
  TOO_MANY_FRAMES(ErrorCode.RATE_LIMITED, null,
      "too much sent: at most %d frames and %d bytes per second; frames beyond are dropped"),
  FRAME_FLOOD(ErrorCode.RATE_LIMITED, CloseReason.RATE_LIMITED, "frame flood"),
  TOO_MANY_CONNECTIONS(ErrorCode.RATE_LIMITED, CloseReason.RATE_LIMITED, "too many connections from this address"),
  TOO_MANY_HANDSHAKES(ErrorCode.RATE_LIMITED, CloseReason.RATE_LIMITED,
      "too many new connections per second from this address"),
  PUBLISH_RATE(ErrorCode.RATE_LIMITED, null, "publish rate exceeded"),
  PUBLISH_RATE_ABUSE(ErrorCode.RATE_LIMITED, CloseReason.RATE_LIMITED, "publish rate exceeded repeatedly; back off"),
  SLOW_CONSUMER(ErrorCode.UNAVAILABLE, CloseReason.SLOW_CONSUMER, "slow consumer: reconnect and resume"),

  // The node and what is behind it.
  NODE_FULL(ErrorCode.UNAVAILABLE, CloseReason.TRY_AGAIN_LATER,
      "this node has no connections to spare; retry later or on another node"),
  HEARTBEAT_TIMEOUT(ErrorCode.UNAVAILABLE, CloseReason.GOING_AWAY, "heartbeat timeout"),
  DRAINING(ErrorCode.UNAVAILABLE, null, "this node is draining; retry on another"),
  DRAINING_CONNECTION(ErrorCode.UNAVAILABLE, CloseReason.SERVICE_RESTART, "this node is draining; reconnect and resume"),
  RESTARTING(ErrorCode.UNAVAILABLE, CloseReason.SERVICE_RESTART, "service restart, reconnect and resume"),
  EVENT_LOG_UNAVAILABLE(ErrorCode.UNAVAILABLE, CloseReason.INTERNAL,
      "the event log is unavailable; reconnect and resume"),
  EVENT_LOG_UNAVAILABLE_FOR_POLL(ErrorCode.UNAVAILABLE, null, "the event log is unavailable; poll again");

  private final ErrorCode code;
  private final CloseReason close;
  private final String text;

  Refusal(ErrorCode code, CloseReason close, String text) {
    this.code = code;
    this.close = close;
    this.text = text;
  }

  public ErrorCode code() {
    return code;
  }

  /** The WebSocket close code when this refusal ends a WebSocket. */
  public CloseReason close() {
    if (close == null) {
      throw new IllegalStateException(this + " never closes a WebSocket");
    }
    return close;
  }

  /** The refusal's text with its numbers filled in. */
  public String message(Object... args) {
    return args.length == 0 ? text : String.format(text, args);
  }

  /** The refusal as a failure of a request's future, answered by whichever transport asked. */
  public RequestFailure failure(Object... args) {
    return new RequestFailure(code, message(args));
  }
}
