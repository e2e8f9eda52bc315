package dev.switchboard.client;

/**
 * The closed catalogue of errors the client reports: the server's codes (docs/PROTOCOL.md, Errors and close codes)
 * and the client's own ({@code network}, {@code timeout}, {@code disconnected}, {@code closed}, {@code terminated}),
 * each with whether the same request may succeed later when the server did not say.
 */
public enum ErrorCode {
  BAD_REQUEST("bad_request", false),
  UNAUTHORIZED("unauthorized", false),
  FORBIDDEN("forbidden", false),
  NOT_FOUND("not_found", false),
  TOO_LARGE("too_large", false),
  RATE_LIMITED("rate_limited", true),
  UNAVAILABLE("unavailable", true),
  INTERNAL("internal", true),
  /** The server could not be reached. */
  NETWORK("network", true),
  /** No answer in time. */
  TIMEOUT("timeout", true),
  /** The connection went away before the answer. */
  DISCONNECTED("disconnected", true),
  /** The client was closed. */
  CLOSED("closed", false),
  /** An operator ended the connection (close code 4010): do not reconnect on your own. */
  TERMINATED("terminated", false);

  private final String wire;
  private final boolean retryable;

  ErrorCode(String wire, boolean retryable) {
    this.wire = wire;
    this.retryable = retryable;
  }

  /** The code as the wire spells it. */
  public String wire() {
    return wire;
  }

  /** Whether a request failing with this code may succeed later, when the server gave no verdict. */
  public boolean retryableByDefault() {
    return retryable;
  }

  /** The code a wire string names; an unknown one is {@link #INTERNAL}. */
  public static ErrorCode fromWire(String wire) {
    for (ErrorCode code : values()) {
      if (code.wire.equals(wire)) {
        return code;
      }
    }
    return INTERNAL;
  }

  /** The code of an HTTP status without a readable error body. */
  static ErrorCode fromStatus(int status) {
    switch (status) {
      case 400: return BAD_REQUEST;
      case 401: return UNAUTHORIZED;
      case 403: return FORBIDDEN;
      case 404: return NOT_FOUND;
      case 413: return TOO_LARGE;
      case 429: return RATE_LIMITED;
      case 500: return INTERNAL;
      default: return status >= 500 ? UNAVAILABLE : BAD_REQUEST;
    }
  }
}
