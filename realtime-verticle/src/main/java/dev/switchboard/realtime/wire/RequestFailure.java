package dev.switchboard.realtime.wire;

import dev.switchboard.protocol.ErrorCode;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * A request the edge refuses itself, as a catalogue error; {@code retryAfterMs} is set for {@code rate_limited}.
 */
public final class RequestFailure extends ReplyException {

  private final long retryAfterMs;

  public RequestFailure(ErrorCode code, String message) {
    this(code, message, 0);
  }

  public RequestFailure(ErrorCode code, String message, long retryAfterMs) {
    super(ReplyFailure.RECIPIENT_FAILURE, code.failureCode(), message);
    this.retryAfterMs = retryAfterMs;
  }

  /** How long a client should wait before retrying, or 0. */
  public static long retryAfterMs(Throwable failure) {
    return failure instanceof RequestFailure f ? f.retryAfterMs : 0;
  }
}
