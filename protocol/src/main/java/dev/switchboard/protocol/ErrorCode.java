package dev.switchboard.protocol;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * The closed catalogue of request errors (docs/PROTOCOL.md, Errors and close codes): wire code, HTTP status, and
 * whether a retry may help (sent to clients as {@code retryable}).
 *
 * <p>Failures cross the event bus as {@link ReplyException}s whose failure code is {@link #failureCode()}, so the edge
 * maps any bus failure back to one of these with {@link #of(Throwable)}.
 */
public enum ErrorCode {
  BAD_REQUEST("bad_request", 400, false),
  UNAUTHORIZED("unauthorized", 401, false),
  FORBIDDEN("forbidden", 403, false),
  NOT_FOUND("not_found", 404, false),
  TOO_LARGE("too_large", 413, false),
  RATE_LIMITED("rate_limited", 429, true),
  UNAVAILABLE("unavailable", 503, true),
  INTERNAL("internal", 500, true);

  private final String code;
  private final int httpStatus;
  private final boolean retryable;

  ErrorCode(String code, int httpStatus, boolean retryable) {
    this.code = code;
    this.httpStatus = httpStatus;
    this.retryable = retryable;
  }

  /** The string clients see in {@code error.code}. */
  public String code() {
    return code;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** Whether the same request may succeed later: the {@code retryable} of error frames and bodies. */
  public boolean retryable() {
    return retryable;
  }

  /** The failure code used on the event bus: the HTTP status, which is unique per entry. */
  public int failureCode() {
    return httpStatus;
  }

  /** A failure to reply with, or to fail a future with. */
  public ReplyException exception(String message) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, failureCode(), message);
  }

  /**
   * The error a failure means to a client: catalogue codes pass through, a missing or timed-out recipient is
   * {@code unavailable}, anything else is {@code internal}.
   */
  public static ErrorCode of(Throwable failure) {
    if (failure instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.NO_HANDLERS || reply.failureType() == ReplyFailure.TIMEOUT) {
        return UNAVAILABLE;
      }
      for (ErrorCode code : values()) {
        if (code.failureCode() == reply.failureCode()) {
          return code;
        }
      }
    }
    return INTERNAL;
  }

  /** A message safe to show a client: catalogue failures keep theirs, anything unexpected is not described. */
  public static String messageOf(Throwable failure) {
    ErrorCode code = of(failure);
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && code != INTERNAL && reply.getMessage() != null) {
      return reply.getMessage();
    }
    return switch (code) {
      case UNAVAILABLE -> "service unavailable, retry later";
      default -> "internal error";
    };
  }
}
