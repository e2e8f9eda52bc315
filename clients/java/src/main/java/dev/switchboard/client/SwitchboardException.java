package dev.switchboard.client;

import java.util.Collections;
import java.util.List;

/** A failure the client reports: a code from {@link ErrorCode} and what the server or the network said. */
public final class SwitchboardException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final int status;
  private final long retryAfterMs;
  private final Boolean serverRetryable;
  private final String sessionId;
  private final List<String> sessionIds;

  public SwitchboardException(ErrorCode code, String message) {
    this(code, message, 0, -1, null, null, null, null);
  }

  SwitchboardException(ErrorCode code, String message, int status, long retryAfterMs, Boolean serverRetryable,
      String sessionId, List<String> sessionIds, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
    this.serverRetryable = serverRetryable;
    this.sessionId = sessionId;
    this.sessionIds = sessionIds == null ? Collections.<String>emptyList() : Collections.unmodifiableList(sessionIds);
  }

  static SwitchboardException of(ErrorCode code, String message, Throwable cause) {
    return new SwitchboardException(code, message, 0, -1, null, null, null, cause);
  }

  public ErrorCode code() {
    return code;
  }

  /** The HTTP status or WebSocket close code that carried it, or 0. */
  public int status() {
    return status;
  }

  /** How long the server asked to wait ({@code Retry-After}, or a 1013 reason), or -1. */
  public long retryAfterMs() {
    return retryAfterMs;
  }

  /** The session this error is about (a refused subscription, an ended one), or null. */
  public String sessionId() {
    return sessionId;
  }

  /** The sessions a {@code 403} says the token does not allow. */
  public List<String> sessionIds() {
    return sessionIds;
  }

  /** Whether the same request may succeed later: the server's verdict when it gave one, else the code's. */
  public boolean retryable() {
    return serverRetryable != null ? serverRetryable : code.retryableByDefault();
  }

  SwitchboardException withSession(String session) {
    return new SwitchboardException(code, getMessage(), status, retryAfterMs, serverRetryable, session, sessionIds,
        getCause());
  }

  @Override
  public String toString() {
    return "SwitchboardException{" + code.wire() + ": " + getMessage() + (status == 0 ? "" : " (" + status + ")")
        + "}";
  }
}
