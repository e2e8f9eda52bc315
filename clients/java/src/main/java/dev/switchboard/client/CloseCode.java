package dev.switchboard.client;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's WebSocket close codes (docs/PROTOCOL.md, WebSocket close codes) and what the client does on each.
 * A code not listed here comes from the network or a library (1006, say) and is treated as a dropped connection.
 */
enum CloseCode {
  NORMAL(1000, Action.RECONNECT),
  HEARTBEAT_TIMEOUT(1001, Action.RECONNECT),
  /** A malformed URL or frame: retrying the same request cannot help. */
  POLICY_VIOLATION(1008, Action.STOP),
  TOO_BIG(1009, Action.RECONNECT),
  SERVER_ERROR(1011, Action.RECONNECT),
  DRAINING(1012, Action.RECONNECT),
  TRY_AGAIN_LATER(1013, Action.WAIT),
  UNAUTHORIZED(4001, Action.REFRESH_TOKEN),
  FORBIDDEN(4003, Action.STOP),
  RATE_LIMITED(4008, Action.WAIT),
  SLOW_CONSUMER(4009, Action.RECONNECT),
  TERMINATED(4010, Action.STOP),
  /** An operator ended the connection and allows it back. */
  OPERATOR_DISCONNECT(4011, Action.RECONNECT),
  /** Anything else, 1006 included. */
  DROPPED(0, Action.RECONNECT);

  /** What a close asks of the client. */
  enum Action {
    /** Reconnect with backoff and resume. */
    RECONNECT,
    /** Reconnect no sooner than the server asked (at least 1 s), then resume. */
    WAIT,
    /** Get a new token, then reconnect and resume. */
    REFRESH_TOKEN,
    /** Do not reconnect; tell the application. */
    STOP
  }

  private static final Pattern RETRY_AFTER = Pattern.compile("retry after (\\d+) ms");
  private static final long LEAST_WAIT_MS = 1000;

  private final int code;
  private final Action action;

  CloseCode(int code, Action action) {
    this.code = code;
    this.action = action;
  }

  int code() {
    return code;
  }

  Action action() {
    return action;
  }

  static CloseCode of(int code) {
    for (CloseCode close : values()) {
      if (close.code == code && close != DROPPED) {
        return close;
      }
    }
    return DROPPED;
  }

  /** The error a close stands for, or null for a plain reconnect. */
  SwitchboardException error(String reason) {
    String text = reason == null || reason.isEmpty() ? name().toLowerCase(java.util.Locale.ROOT) : reason;
    switch (this) {
      case UNAUTHORIZED:
        return new SwitchboardException(ErrorCode.UNAUTHORIZED, text, code, -1, null, null, null, null);
      case FORBIDDEN:
        return new SwitchboardException(ErrorCode.FORBIDDEN, text, code, -1, null, null, null, null);
      case POLICY_VIOLATION:
        return new SwitchboardException(ErrorCode.BAD_REQUEST, text, code, -1, null, null, null, null);
      case TERMINATED:
        return new SwitchboardException(ErrorCode.TERMINATED, text, code, -1, null, null, null, null);
      case RATE_LIMITED:
        return new SwitchboardException(ErrorCode.RATE_LIMITED, text, code, LEAST_WAIT_MS, null, null, null, null);
      case TRY_AGAIN_LATER:
        return new SwitchboardException(ErrorCode.UNAVAILABLE, text, code, retryAfterMs(reason), null, null, null,
            null);
      default:
        return null;
    }
  }

  /** The wait a 1013 reason names ({@code "try again later; retry after 2500 ms"}), at least 1 s. */
  static long retryAfterMs(String reason) {
    Matcher matcher = RETRY_AFTER.matcher(reason == null ? "" : reason);
    return matcher.find() ? Math.max(LEAST_WAIT_MS, Long.parseLong(matcher.group(1))) : LEAST_WAIT_MS;
  }
}
