package dev.switchboard.realtime.namespace;

import dev.switchboard.protocol.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.spi.cluster.ClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntConsumer;

/**
 * Whether the cluster's edges run one namespace configuration (docs/PROTOCOL.md, Namespaces): each puts the hash of
 * its own into a cluster-wide map under its member id and counts the members whose hash differs: once it has put its
 * own (and told the others, {@link Addresses#NAMESPACES_PUT}, who count again), and every {@link #CHECK_MS}. A difference is logged and counted, never refused: a rolling update that changes the
 * configuration passes through it. Not clustered, there is nothing to compare.
 */
public final class NamespaceAgreement {

  private static final Logger LOG = LoggerFactory.getLogger(NamespaceAgreement.class);
  static final String MAP = "switchboard.namespaces";
  static final long CHECK_MS = 30_000;

  private final Vertx vertx;
  private final ClusterManager manager;
  private final String entry;
  private final String hash;
  private final IntConsumer disagreeing;
  private Future<AsyncMap<String, String>> map;
  private long timer = -1;
  private MessageConsumer<String> puts;
  private int lastCount;

  /** {@code disagreeing} hears how many members differ after every check. */
  public NamespaceAgreement(Vertx vertx, String nodeId, String hash, IntConsumer disagreeing) {
    this.vertx = vertx;
    this.manager = vertx instanceof VertxInternal internal ? internal.clusterManager() : null;
    this.entry = nodeId + " " + hash;
    this.hash = hash;
    this.disagreeing = disagreeing;
  }

  public void start() {
    if (manager == null) {
      return;
    }
    puts = vertx.eventBus().consumer(Addresses.NAMESPACES_PUT, message -> check());
    map = vertx.sharedData().<String, String>getClusterWideMap(MAP)
        .compose(m -> m.put(manager.getNodeId(), entry).map(m));
    map.onSuccess(m -> vertx.eventBus().publish(Addresses.NAMESPACES_PUT, entry));
    timer = vertx.setPeriodic(CHECK_MS, t -> check());
  }

  public void stop() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
    if (puts != null) {
      puts.unregister();
    }
    if (map != null) {
      map.onSuccess(m -> m.remove(manager.getNodeId()));
    }
  }

  private void check() {
    map.compose(AsyncMap::entries).onSuccess(entries -> {
      List<String> members = manager.getNodes();
      TreeSet<String> differing = new TreeSet<>();
      for (Map.Entry<String, String> member : entries.entrySet()) {
        String[] nodeAndHash = member.getValue().split(" ", 2);
        if (members.contains(member.getKey()) && !hash.equals(nodeAndHash[1])) {
          differing.add(nodeAndHash[0]);
        }
      }
      if (!differing.isEmpty() && differing.size() != lastCount) {
        LOG.warn("the namespace configuration of {} differs from this node's ({}): give every node the same"
            + " configuration file (README, Namespaces)", differing, hash.substring(0, 12));
      }
      lastCount = differing.size();
      disagreeing.accept(differing.size());
    });
  }
}
