package dev.switchboard.realtime.ws;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.Principal;
import dev.switchboard.realtime.Edge;
import dev.switchboard.realtime.wire.Frames;
import dev.switchboard.realtime.wire.Refusal;

import java.util.function.Consumer;

/**
 * A WebSocket's {@code publish} and {@code signal} frames (docs/PROTOCOL.md, Client frames): each goes through the
 * edge's one publish path, a publish is answered with its {@code ack}, and a refusal with an {@code error}; a client
 * that keeps publishing into its rate limit is closed with 4008. Used on the socket's loop.
 */
final class SocketPublishes {

  private final Edge edge;
  private final WebSocketWriter writer;
  private final InboundGuard guard;
  private final String connectionId;
  private final Consumer<Refusal> close;

  SocketPublishes(Edge edge, WebSocketWriter writer, InboundGuard guard, String connectionId,
                  Consumer<Refusal> close) {
    this.edge = edge;
    this.writer = writer;
    this.guard = guard;
    this.connectionId = connectionId;
    this.close = close;
  }

  void publish(Principal principal, ClientCommand.Publish publish) {
    edge.publisher.publish(principal, publish.sessionId(), publish.body()).onComplete(ar -> {
      if (ar.succeeded()) {
        guard.accepted();
        writer.send(Frames.ack(publish.requestId(), ar.result().seq(), ar.result().timestamp(),
            ar.result().duplicate()));
      } else {
        refused(publish.requestId(), ar.cause());
      }
    });
  }

  void signal(Principal principal, ClientCommand.SendSignal signal) {
    edge.publisher.signal(principal, signal.sessionId(), signal.body(), connectionId).onComplete(ar -> {
      if (ar.succeeded()) {
        guard.accepted();
      } else {
        refused(signal.requestId(), ar.cause());
      }
    });
  }

  private void refused(Object requestId, Throwable failure) {
    ErrorCode code = ErrorCode.of(failure);
    writer.send(Frames.error(requestId, code, ErrorCode.messageOf(failure)));
    if (guard.refusedAndAbusive(code)) {
      close.accept(Refusal.PUBLISH_RATE_ABUSE);
    }
  }
}
