package dev.switchboard.realtime;

import dev.switchboard.realtime.canary.CanaryPass;
import dev.switchboard.realtime.hook.Hooks;
import dev.switchboard.realtime.http.AccessLog;
import dev.switchboard.realtime.http.AllowedOrigins;
import dev.switchboard.realtime.http.ClientIdentity;
import dev.switchboard.realtime.http.ClientLimits;
import dev.switchboard.realtime.http.ConnectionGuard;
import dev.switchboard.realtime.http.MalformedUrls;
import dev.switchboard.realtime.http.RequestAccess;
import dev.switchboard.realtime.http.ServerApiKey;
import dev.switchboard.realtime.hub.FlushBatch;
import dev.switchboard.realtime.hub.HubRegistry;
import dev.switchboard.realtime.metrics.EdgeMetrics;
import dev.switchboard.realtime.positions.DeliveredPositions;
import dev.switchboard.realtime.positions.ReadPositions;
import dev.switchboard.realtime.presence.EdgePresence;
import dev.switchboard.realtime.publish.Publisher;
import dev.switchboard.realtime.ws.UserBudgets;
import io.vertx.core.Vertx;

/**
 * What every endpoint of one edge loop shares: settings, clock, bus client, the loop's hubs, the publish path, read
 * positions, its open connections, the access log; and, through {@link EdgeNode}, what the whole node shares. Used on
 * its loop.
 */
public final class Edge {

  public final Vertx vertx;
  public final EdgeTimers timers;
  public final EdgeConfig config;
  public final RoleClient roles;
  public final HubRegistry hubs;
  public final Publisher publisher;
  /** The application's backend hooks, called from this loop. */
  public final Hooks hooks;
  final ServerApiKey apiKey;
  public final RequestAccess access;
  /** Who a client without a JWT is: the connect hook's user, or an anonymous subscriber. */
  public final ClientIdentity identity;
  public final MalformedUrls malformedUrls;
  public final UserBudgets userBudgets;
  public final ClientLimits clientLimits;
  public final ConnectionGuard guard;
  public final AllowedOrigins origins;
  public final FlushBatch flushes;
  public final EdgePresence presence;
  public final ReadPositions readPositions;
  /** The delivered positions of this loop's subscriptions. */
  public final DeliveredPositions delivered;
  public final Connections connections = new Connections();
  public final AccessLog accessLog;
  public final EdgeMetrics metrics;
  /** The secret of this node's canary subscriber (docs/ARCHITECTURE.md, Delivery canary). */
  public final CanaryPass canaryPass;

  Edge(Vertx vertx, EdgeTimers timers, EdgeNode node, RoleClient roles, HubRegistry hubs, Hooks hooks,
       Publisher publisher, FlushBatch flushes, EdgePresence presence, DeliveredPositions delivered) {
    this.metrics = node.metrics;
    this.vertx = vertx;
    this.timers = timers;
    this.config = node.config;
    this.roles = roles;
    this.hubs = hubs;
    this.publisher = publisher;
    this.hooks = hooks;
    this.apiKey = new ServerApiKey(config.apiKey());
    this.identity = new ClientIdentity(hooks, node.namespaces);
    this.access = new RequestAccess(roles, apiKey, hooks, identity);
    this.userBudgets = node.userBudgets;
    this.clientLimits = node.clientLimits;
    this.canaryPass = node.canaryPass;
    this.malformedUrls = node.malformedUrls;
    this.guard = new ConnectionGuard(config.connections(), clientLimits, node.clientCap, node.connectionLogs);
    this.origins = new AllowedOrigins(config.allowedOrigins());
    this.flushes = flushes;
    this.presence = presence;
    this.readPositions = new ReadPositions(roles);
    this.delivered = delivered;
    this.accessLog = new AccessLog(config.accessLog(), config.connections().trustedProxies(), timers);
  }
}
