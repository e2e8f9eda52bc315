package dev.switchboard.server;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import dev.switchboard.protocol.Addresses;
import io.vertx.core.eventbus.DeliveryOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs members joining and leaving, and tells this process's edge (a local-only message on
 * {@link Addresses#CLUSTER_MEMBERSHIP}) so its hubs check their heads: a persistence member that died between its
 * commit and its live publish leaves events that no later event may reveal.
 */
final class Membership implements MembershipListener {

  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final ClusterSetup.Clustered cluster;

  private Membership(ClusterSetup.Clustered cluster) {
    this.cluster = cluster;
  }

  static void watch(ClusterSetup.Clustered cluster) {
    cluster.manager().getHazelcastInstance().getCluster().addMembershipListener(new Membership(cluster));
    LOG.info("joined as {}; {} members", cluster.manager().getHazelcastInstance().getCluster().getLocalMember(),
        cluster.manager().getNodes().size());
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    announce("joined", event);
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    announce("left", event);
  }

  private void announce(String change, MembershipEvent event) {
    LOG.info("cluster member {} {} ({}); {} members", event.getMember().getUuid(), change,
        event.getMember().getAddress(), event.getMembers().size());
    cluster.vertx().eventBus().publish(Addresses.CLUSTER_MEMBERSHIP, change, LOCAL);
  }
}
