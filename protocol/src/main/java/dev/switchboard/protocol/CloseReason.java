package dev.switchboard.protocol;

/**
 * The closed catalogue of WebSocket close codes (docs/PROTOCOL.md, Errors and close codes), each with the client's
 * next step.
 */
public enum CloseReason {
  NORMAL(1000, "normal closure"),
  GOING_AWAY(1001, "server going away"),
  PROTOCOL_VIOLATION(1008, "protocol violation"),
  TOO_LARGE(1009, "frame too large"),
  INTERNAL(1011, "internal error"),
  SERVICE_RESTART(1012, "service restart, reconnect and resume"),
  UNAUTHORIZED(4001, "unauthorized or token expired"),
  FORBIDDEN(4003, "forbidden"),
  RATE_LIMITED(4008, "rate limited or too many connections"),
  SLOW_CONSUMER(4009, "slow consumer: reconnect and resume"),
  /**
   * Reserved, not sent yet: a node pacing a crowd of reconnects asks the client to come back later; the reason ends
   * with {@code retry after N ms}.
   */
  TRY_AGAIN_LATER(1013, "try again later; retry after 1000 ms"),
  /** Reserved, not sent yet: an operator ended the connection; the client must not reconnect on its own. */
  TERMINATED(4010, "disconnected by an operator: do not reconnect");

  private final short code;
  private final String reason;

  CloseReason(int code, String reason) {
    this.code = (short) code;
    this.reason = reason;
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

  /** The default close reason text (at most 123 bytes, as a close frame allows). */
  public String reason() {
    return reason;
  }
}
