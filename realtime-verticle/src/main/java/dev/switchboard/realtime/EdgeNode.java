package dev.switchboard.realtime;

import dev.switchboard.realtime.canary.CanaryPass;
import dev.switchboard.realtime.canary.EdgeMembers;
import dev.switchboard.realtime.hook.HookCache;
import dev.switchboard.realtime.http.ClientLimits;
import dev.switchboard.realtime.http.ConnectionGuard;
import dev.switchboard.realtime.http.FileDescriptors;
import dev.switchboard.realtime.http.MalformedUrls;
import dev.switchboard.realtime.hub.LiveFeed;
import dev.switchboard.realtime.metrics.EdgeMetrics;
import dev.switchboard.realtime.namespace.Namespaces;
import dev.switchboard.realtime.tls.EdgeCertificate;
import dev.switchboard.realtime.ws.UserBudgets;

/**
 * What the edge loops of one node share (docs/ARCHITECTURE.md, Threading): the settings, the meters, the limits that
 * hold per node rather than per loop (connections per address and per node, each user's inbound bytes), the canary's
 * secret, and the {@link LiveFeed}, set by the first loop on its own context before the others start. Each shared
 * object is safe to use from every loop; everything else of a loop is its own ({@link Edge}).
 */
public final class EdgeNode {

  public final EdgeConfig config;
  public final EdgeMetrics metrics;
  public final ClientLimits clientLimits;
  public final UserBudgets userBudgets;
  /** How many connections clients may hold at once ({@link FileDescriptors#clientCap}). */
  public final long clientCap;
  /** The secret of this node's canary subscriber (docs/ARCHITECTURE.md, Delivery canary). */
  public final CanaryPass canaryPass = new CanaryPass();
  /** One throttled line per interval for the node, whichever loop refused. */
  public final MalformedUrls malformedUrls = new MalformedUrls();
  public final ConnectionGuard.Logs connectionLogs = new ConnectionGuard.Logs();
  /** The certificate every loop's server presents, or null for plain HTTP; loaded before any loop starts. */
  public final EdgeCertificate certificate;
  /** The cluster's edges (this one alone on a single node): whom the canary watches and the control API asks. */
  public final EdgeMembers members;
  /** The namespaces of the configuration file (immutable, so shared as it is). */
  public final Namespaces namespaces;
  /** The subscribe hooks' allow answers the node reuses. */
  public final HookCache hookCache = new HookCache();
  private volatile LiveFeed feed;

  public EdgeNode(EdgeConfig config, EdgeMetrics metrics, EdgeCertificate certificate, EdgeMembers members,
                  Namespaces namespaces) {
    this.config = config;
    this.members = members;
    this.namespaces = namespaces;
    this.certificate = certificate;
    this.metrics = metrics;
    this.clientLimits = new ClientLimits(config.connections());
    this.userBudgets = new UserBudgets(config.maxInboundBytesPerSec(), config.maxFramesPerSec());
    this.clientCap = FileDescriptors.clientCap(config.connections().fdReserve());
  }

  /** The node's feed; set by the first loop before any other loop starts. */
  public LiveFeed feed() {
    return feed;
  }

  void feed(LiveFeed feed) {
    this.feed = feed;
  }
}
