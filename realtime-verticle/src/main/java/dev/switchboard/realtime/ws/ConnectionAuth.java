package dev.switchboard.realtime.ws;

import dev.switchboard.protocol.Principal;

import dev.switchboard.realtime.EdgeTimers;
import dev.switchboard.realtime.wire.Refusal;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Who a WebSocket connection is, and until when (docs/PROTOCOL.md, Authentication): the deadline for a connection
 * that opened without a token to send its {@code auth} frame, and the expiry of the token in force, moved on by every
 * accepted refresh. When either passes, {@code onRefused} gets the close reason text (closed with {@code 4001}).
 *
 * <p>Not thread-safe: used on its edge loop.
 */
public final class ConnectionAuth {

  private final EdgeTimers timers;
  private final Consumer<String> onRefused;
  private Principal principal;
  private long deadlineTimer = -1;
  private long expiryTimer = -1;

  ConnectionAuth(EdgeTimers timers, Consumer<String> onRefused) {
    this.timers = timers;
    this.onRefused = onRefused;
  }

  /** The connection opened without a token: it must send an {@code auth} frame within {@code timeout}. */
  void awaitToken(Duration timeout) {
    deadlineTimer = timers.schedule(timeout.toMillis(), () -> {
      deadlineTimer = -1;
      if (principal == null) {
        onRefused.accept(Refusal.NO_TOKEN_IN_TIME.message(timeout.toSeconds()));
      }
    });
  }

  /** Whether the connection still waits for its first {@code auth} frame (and may send one). */
  boolean awaitingToken() {
    return deadlineTimer != -1;
  }

  /** The first {@code auth} frame arrived: its token is being checked, the deadline no longer applies. */
  void tokenReceived() {
    cancel(deadlineTimer);
    deadlineTimer = -1;
  }

  /** The principal in force, or null before the first token was accepted. */
  Principal principal() {
    return principal;
  }

  /**
   * A token was accepted (the first, or a refresh for the same user): it is in force until its {@code exp}, without
   * leeway. A token already past it refuses the connection at once.
   */
  void accept(Principal accepted) {
    principal = accepted;
    cancel(expiryTimer);
    expiryTimer = -1;
    if (accepted.expiresAt() == Long.MAX_VALUE) {
      return; // the server's own principal (Principal.INTERNAL) never expires
    }
    long delay = accepted.expiresAt() - timers.now();
    if (delay <= 0) {
      onRefused.accept(Refusal.TOKEN_EXPIRED.message());
      return;
    }
    expiryTimer = timers.schedule(delay, () -> {
      expiryTimer = -1;
      onRefused.accept(Refusal.TOKEN_EXPIRED.message());
    });
  }

  /** The connection closed: no timer fires any more. */
  void close() {
    cancel(deadlineTimer);
    cancel(expiryTimer);
    deadlineTimer = -1;
    expiryTimer = -1;
  }

  private void cancel(long timer) {
    if (timer != -1) {
      timers.cancel(timer);
    }
  }
}
