package dev.switchboard.realtime;

import io.vertx.core.Vertx;

/** What every endpoint of one edge verticle shares: settings, clock, bus client, hubs, the publish path, open connections. */
final class Edge {

  final Vertx vertx;
  final EdgeTimers timers;
  final EdgeConfig config;
  final RoleClient roles;
  final HubRegistry hubs;
  final Publisher publisher;
  final ServerApiKey apiKey;
  final RequestAccess access;
  final ClientLimits clientLimits;
  final AllowedOrigins origins;
  final FlushBatch flushes;
  final EdgePresence presence;
  final Connections connections = new Connections();

  Edge(Vertx vertx, EdgeTimers timers, EdgeConfig config, RoleClient roles, HubRegistry hubs, Publisher publisher,
       FlushBatch flushes, EdgePresence presence) {
    this.vertx = vertx;
    this.timers = timers;
    this.config = config;
    this.roles = roles;
    this.hubs = hubs;
    this.publisher = publisher;
    this.apiKey = new ServerApiKey(config.apiKey());
    this.access = new RequestAccess(roles, apiKey);
    this.clientLimits = new ClientLimits(config.maxConnectionsPerIp(), config.handshakesPerSec());
    this.origins = new AllowedOrigins(config.allowedOrigins());
    this.flushes = flushes;
    this.presence = presence;
  }
}
