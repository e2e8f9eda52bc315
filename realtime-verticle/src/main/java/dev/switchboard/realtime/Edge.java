package dev.switchboard.realtime;

import dev.switchboard.protocol.PresenceQuery;
import dev.switchboard.protocol.Principal;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.function.Consumer;

import java.util.HashSet;
import java.util.Set;

/** What every endpoint of one edge verticle shares: settings, bus client, hubs, the publish path, open sockets. */
final class Edge {

  final Vertx vertx;
  final EdgeConfig config;
  final Services services;
  final HubRegistry hubs;
  final Publisher publisher;
  final ServerApiKey apiKey;
  final ClientLimits clientLimits;
  final AllowedOrigins origins;
  final FlushBatch flushes;
  final EdgePresence presence;
  final Set<WebSocketConnection> connections = new HashSet<>();
  final Set<SseStream> streams = new HashSet<>();
  final Set<LongPoll> polls = new HashSet<>();
  /** Set on SIGTERM: new connections and requests are refused with 1012 / 503 while the node drains. */
  boolean draining;

  Edge(Vertx vertx, EdgeConfig config, Services services, HubRegistry hubs, Publisher publisher,
       FlushBatch flushes) {
    this.vertx = vertx;
    this.config = config;
    this.services = services;
    this.hubs = hubs;
    this.publisher = publisher;
    this.apiKey = new ServerApiKey(config.apiKey());
    this.clientLimits = new ClientLimits(config.maxConnectionsPerIp(), config.handshakesPerSec());
    this.origins = new AllowedOrigins(config.allowedOrigins());
    this.flushes = flushes;
    this.presence = new EdgePresence(vertx, services, config);
  }

  /** Announces a connection in a session, then hands the session's presence state frame to {@code stateFrame}. */
  void joinPresence(String sessionId, String connectionId, Principal principal, Consumer<Buffer> stateFrame) {
    presence.join(sessionId, connectionId, principal.presenceUser());
    services.presenceState(new PresenceQuery(sessionId))
        .onSuccess(state -> stateFrame.accept(Frames.presenceState(state)));
  }

  void leavePresence(String sessionId, String connectionId) {
    presence.leave(sessionId, connectionId);
  }
}
