package dev.switchboard.realtime.ws;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.PresenceQuery;
import dev.switchboard.protocol.PresenceState;
import dev.switchboard.protocol.Principal;
import dev.switchboard.realtime.Edge;
import dev.switchboard.realtime.wire.Frames;
import dev.switchboard.realtime.wire.Refusal;


/**
 * The frames a WebSocket asks a role to answer with one frame (docs/PROTOCOL.md, Client frames): a page of a
 * session's presence ({@code presence}) and a read position ({@code read}). Each answer, or its error, goes back on
 * the same socket. Used on the socket's loop.
 */
final class SocketQueries {

  private final Edge edge;
  private final WebSocketWriter writer;
  private final String connectionId;

  SocketQueries(Edge edge, WebSocketWriter writer, String connectionId) {
    this.edge = edge;
    this.writer = writer;
    this.connectionId = connectionId;
  }

  void presence(Principal principal, ClientCommand.AskPresence ask) {
    if (!principal.canSubscribe(ask.sessionId())) {
      writer.send(Frames.error(ask.requestId(), Refusal.SESSION_FORBIDDEN.code(),
          Refusal.SESSION_FORBIDDEN.message()));
      return;
    }
    if (!edge.presence.tracks(ask.sessionId())) {
      writer.send(Frames.error(ask.requestId(), Refusal.PRESENCE_OFF.code(), Refusal.PRESENCE_OFF.message()));
      return;
    }
    edge.roles.presenceState(new PresenceQuery(ask.sessionId(), ask.cursor(), ask.limit())).onComplete(ar -> {
      if (ar.succeeded()) {
        PresenceState state = ar.result();
        // An anonymous subscriber learns how many are present, never who.
        writer.send(Frames.presenceState(principal.isAnonymous() ? state.unnamed() : state));
      } else {
        failed(ask.requestId(), ar.cause());
      }
    });
  }

  void markRead(Principal principal, ClientCommand.MarkRead read) {
    edge.readPositions.markRead(principal, read.sessionId(), read.eventId(), connectionId).onComplete(ar -> {
      if (ar.succeeded()) {
        writer.send(Frames.positions(read.requestId(), ar.result()));
      } else {
        failed(read.requestId(), ar.cause());
      }
    });
  }

  private void failed(Object requestId, Throwable cause) {
    writer.send(Frames.error(requestId, ErrorCode.of(cause), ErrorCode.messageOf(cause)));
  }
}
