package dev.switchboard.realtime.ws;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Principal;
import dev.switchboard.realtime.Edge;
import dev.switchboard.realtime.SessionTokens;
import dev.switchboard.realtime.wire.Frames;
import dev.switchboard.realtime.wire.Refusal;
import dev.switchboard.realtime.wire.RequestFailure;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The session tokens of one WebSocket (docs/PROTOCOL.md, Per-session tokens): a {@code subscribe} frame carrying a
 * {@code token} is checked with auth, its grant held until the token's {@code exp}, and the session subscribed with the
 * connection's rights widened by it; the same frame for a session already subscribed only replaces the grant (the
 * refresh: silent, no event lost). At a grant's expiry the subscription ends with {@code unsubscribed}
 * ({@code unauthorized}, {@code session token expired}) unless the connection token allows the session by then.
 * Used on the socket's loop.
 */
final class SocketSessionTokens {

  private final Edge edge;
  private final WebSocketWriter writer;
  private final SessionTokens held;

  /** {@code expired} ends the subscription of a session whose grant ran out (and that the token does not allow). */
  SocketSessionTokens(Edge edge, WebSocketWriter writer, Supplier<Principal> principal,
                      Consumer<String> expired) {
    this.edge = edge;
    this.writer = writer;
    this.held = new SessionTokens(edge.timers, sessionId -> {
      if (!writer.closing() && !principal.get().canSubscribe(sessionId)) {
        expired.accept(sessionId);
      }
    });
  }

  /**
   * Answers a {@code subscribe} frame: at once with the connection's rights for a frame without a token; else once
   * auth verified the token, with the rights widened by its grant, which is held, unless the session is on the socket
   * already (a refresh: nothing else happens). A refused token answers the frame with an {@code error}, and a grant
   * already held stays in force; a grant whose subscription is refused (too many, ...) is dropped.
   */
  void subscribe(Supplier<Principal> principal, ClientCommand.Subscribe frame, SocketSubscriptions subscriptions) {
    if (frame.token() == null) {
      add(principal.get(), frame, subscriptions);
      return;
    }
    edge.roles.verifySession(frame.token()).onComplete(ar -> {
      if (writer.closing()) {
        return;
      }
      if (ar.failed()) {
        writer.send(Frames.error(frame.requestId(), ErrorCode.of(ar.cause()), ErrorCode.messageOf(ar.cause())));
        return;
      }
      Refusal mismatch = SessionTokens.mismatch(ar.result(), principal.get().userId(), frame.sessionId(),
          edge.timers.now());
      if (mismatch != null) {
        writer.send(Frames.error(frame.requestId(), mismatch.code(), mismatch.message()));
        return;
      }
      held.hold(ar.result());
      if (!subscriptions.has(frame.sessionId()) && !add(held.widen(principal.get(), frame.sessionId()), frame,
          subscriptions)) {
        held.drop(frame.sessionId());
      }
    });
  }

  /** Subscribes with {@code rights}; a refusal answers the frame. Returns whether the subscription was taken. */
  private boolean add(Principal rights, ClientCommand.Subscribe frame, SocketSubscriptions subscriptions) {
    RequestFailure refused = subscriptions.add(rights, frame.sessionId(), frame.fromEventId(), frame.requestId());
    if (refused != null) {
      writer.send(Frames.error(frame.requestId(), ErrorCode.of(refused), refused.getMessage()));
    }
    return refused == null;
  }

  /** {@code principal} with the rights of the grant of {@code sessionId} in force, if any. */
  Principal widen(Principal principal, String sessionId) {
    return held.widen(principal, sessionId);
  }

  /** The subscription of {@code sessionId} ended (or never started): its grant goes with it. */
  void drop(String sessionId) {
    held.drop(sessionId);
  }

  void close() {
    held.close();
  }
}
