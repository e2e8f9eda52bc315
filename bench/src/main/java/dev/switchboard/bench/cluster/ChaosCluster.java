package dev.switchboard.bench.cluster;

import dev.switchboard.testsupport.NodeProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The chaos run's nodes: processes of the server jar on loopback in one Hazelcast cluster on PostgreSQL (and Redis),
 * node i (from 1) serving HTTP on base-port + i - 1 and Hazelcast 100 ports above, with every role and the limits
 * raised out of the way of the load.
 */
final class ChaosCluster {

  private static final Duration READY = Duration.ofSeconds(120);
  private static final Duration DRAIN = Duration.ofSeconds(30);

  private final List<ChaosNode> nodes = new ArrayList<>();
  private final Random random;

  ChaosCluster(ChaosSettings settings, Random random) {
    this.random = random;
    String cluster = "chaos-" + UUID.randomUUID();
    List<String> members = new ArrayList<>();
    for (int i = 0; i < settings.nodes(); i++) {
      members.add("127.0.0.1:" + (settings.basePort() + 100 + i));
    }
    for (int i = 0; i < settings.nodes(); i++) {
      Map<String, String> env = new HashMap<>();
      env.put("SB_CLUSTER", "true");
      env.put("SB_CLUSTER_NAME", cluster);
      env.put("SB_CLUSTER_MEMBERS", String.join(",", members));
      env.put("SB_CLUSTER_PORT", Integer.toString(settings.basePort() + 100 + i));
      env.put("SB_PG_URL", settings.pgUrl());
      if (settings.withRedis()) {
        env.put("SB_REDIS_URL", settings.redisUrl());
        env.put("SB_REDIS_PRESENCE_PREFIX", cluster + ":presence:");
      }
      env.put("SB_JWT_SECRET", "chaos-run-secret-chaos-run-secret-chaos");
      env.put("SB_DEV_TOKENS", "true");
      env.put("SB_NODE_ID", "node-" + (i + 1));
      env.put("SB_PUBLISH_RATE", "0");
      env.put("SB_MAX_FRAMES_PER_SEC", "100000");
      env.put("SB_MAX_CONNECTIONS_PER_IP", "100000");
      env.put("SB_HANDSHAKES_PER_SEC", "100000");
      env.put("SB_DRAIN_GRACE", "10s");
      nodes.add(new ChaosNode(i + 1, new NodeProcess("node-" + (i + 1), settings.basePort() + i, env,
          settings.out(), NodeProcess.fromJar(settings.jar(), "512m"))));
    }
  }

  List<ChaosNode> nodes() {
    return nodes;
  }

  List<Integer> ports() {
    return nodes.stream().map(node -> node.process.httpPort()).toList();
  }

  void startAll() {
    nodes.forEach(ChaosNode::start);
    nodes.forEach(node -> node.process.awaitReady(READY));
  }

  ChaosNode randomNode() {
    return nodes.get(random.nextInt(nodes.size()));
  }

  /** A running node's port, picked at random as a client would pick an address (any node while none runs). */
  int randomLivePort() {
    List<ChaosNode> live = nodes.stream().filter(node -> node.process.isAlive()).toList();
    List<ChaosNode> candidates = live.isEmpty() ? nodes : live;
    return candidates.get(random.nextInt(candidates.size())).process.httpPort();
  }

  /** {@code kill -9} or SIGTERM (drain), three seconds down, then started again and ready. */
  void killAndRestart(ChaosNode victim, boolean hard) throws InterruptedException {
    if (hard) {
      victim.process.kill9();
    } else {
      victim.process.stop(DRAIN);
    }
    Thread.sleep(3000);
    victim.start();
    victim.process.awaitReady(READY);
  }

  void sampleAll() {
    nodes.forEach(ChaosNode::sample);
  }

  /** SIGTERM to each, {@code kill -9} to any that outlives the drain. */
  void stopAll() {
    nodes.forEach(node -> node.process.stop(DRAIN));
  }
}
