package dev.switchboard.protocol;

/**
 * The closed catalogue of WebSocket close codes (docs/PROTOCOL.md, Errors and close codes). The texts sent with them
 * are the edge's refusals ({@code Refusal}); what a client does next is in the protocol.
 */
public enum CloseReason {
  /** Never sent by the server; what a client closes with. */
  NORMAL(1000),
  /** No sign of life for two heartbeat intervals: reconnect and resume. */
  GOING_AWAY(1001),
  /** A bad URL or malformed framing: fix the client. */
  PROTOCOL_VIOLATION(1008),
  /** A message over the frame limit. */
  TOO_LARGE(1009),
  /** The event log or another role could not be reached: reconnect with backoff and resume. */
  INTERNAL(1011),
  /** The node drains or stops: reconnect, to any node, and resume. */
  SERVICE_RESTART(1012),
  /** Reserved, not sent yet: a node pacing a crowd of reconnects; the reason ends with {@code retry after N ms}. */
  TRY_AGAIN_LATER(1013),
  /** No token, a refused one, or an expired one: get a new token first. */
  UNAUTHORIZED(4001),
  /** The token does not allow the session, or the origin is not allowed: do not retry as is. */
  FORBIDDEN(4003),
  /** Too many connections, handshakes or frames: back off. */
  RATE_LIMITED(4008),
  /** The client did not read fast enough: reconnect and resume. */
  SLOW_CONSUMER(4009),
  /** An operator ended the connection; the client must not reconnect on its own. */
  TERMINATED(4010),
  /** An operator ended the connection; the client may reconnect (with backoff) and resume. */
  OPERATOR_DISCONNECT(4011);

  private final short code;

  CloseReason(int code) {
    this.code = (short) code;
  }

  public short code() {
    return code;
  }

  /**
   * The close code of a WebSocket that a failed request ends (an unusable token, an unreachable service): the
   * one mapping from the error catalogue to close codes.
   */
  public static CloseReason of(ErrorCode code) {
    return switch (code) {
      case BAD_REQUEST -> PROTOCOL_VIOLATION;
      case UNAUTHORIZED -> UNAUTHORIZED;
      case FORBIDDEN -> FORBIDDEN;
      case TOO_LARGE -> TOO_LARGE;
      case RATE_LIMITED -> RATE_LIMITED;
      case NOT_FOUND, UNAVAILABLE, INTERNAL -> INTERNAL;
    };
  }
}
