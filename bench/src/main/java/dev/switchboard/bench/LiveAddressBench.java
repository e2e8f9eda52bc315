package dev.switchboard.bench;

import com.hazelcast.config.Config;
import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.Codecs;
import dev.switchboard.protocol.LiveBatch;
import dev.switchboard.protocol.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live events across a real clustered event bus (two Hazelcast members in this JVM, TCP between them): per-session
 * addresses against the 64 sharded ones, the measurement behind the choice in docs/ARCHITECTURE.md, Cluster (results
 * in docs/CLUSTER.md).
 *
 * <p>A "persistence" member publishes committed batches of {@code --batch} events over {@code --sessions} sessions; an
 * "edge" member hosts hubs for {@code --hosted} of them (the rest live on other edges). Measured for each scheme: the
 * time to register the edge's consumers (a hub cannot start before its consumer is registered cluster-wide), the bus
 * messages per batch, the events the edge receives but has no hub for, and the events per second the edge takes in
 * with the process's CPU per useful event.
 *
 * <pre>java -cp bench/target/switchboard-bench.jar dev.switchboard.bench.LiveAddressBench --sessions 1000
 *     --hosted 500 --batch 64 --seconds 10</pre>
 */
public final class LiveAddressBench {

  private LiveAddressBench() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = OptionPairs.parse(args);
    int sessions = Integer.parseInt(options.getOrDefault("sessions", "1000"));
    int hosted = Integer.parseInt(options.getOrDefault("hosted", "500"));
    int batch = Integer.parseInt(options.getOrDefault("batch", "64"));
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
    String cluster = "address-bench-" + UUID.randomUUID();
    Vertx persistence = clustered(cluster, 25701);
    Vertx edge = clustered(cluster, 25702);
    try {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < sessions; i++) {
        ids.add("session-" + i);
      }
      for (boolean perSession : new boolean[] {true, false, true, false}) {
        System.out.println(run(persistence, edge, ids, hosted, batch, seconds, perSession));
      }
    } finally {
      edge.close().await(30, TimeUnit.SECONDS);
      persistence.close().await(30, TimeUnit.SECONDS);
    }
    System.exit(0);
  }

  private static String run(Vertx persistence, Vertx edge, List<String> sessions, int hosted, int batch, int seconds,
                            boolean perSession) throws Exception {
    AtomicLong useful = new AtomicLong();
    AtomicLong wasted = new AtomicLong();
    AtomicLong messages = new AtomicLong();
    java.util.Set<String> hostedSessions = new java.util.HashSet<>(sessions.subList(0, hosted));
    List<MessageConsumer<LiveBatch>> consumers = new ArrayList<>();
    long registerStart = System.nanoTime();
    List<Future<Void>> registered = new ArrayList<>();
    EventBus edgeBus = edge.eventBus();
    if (perSession) {
      for (String session : hostedSessions) {
        consumers.add(edgeBus.consumer("events.live.s." + session, m -> count(m.body(), hostedSessions, useful,
            wasted, messages)));
      }
    } else {
      java.util.Set<Integer> shards = new java.util.TreeSet<>();
      hostedSessions.forEach(s -> shards.add(Addresses.shardOf(s)));
      for (int shard : shards) {
        consumers.add(edgeBus.consumer(Addresses.liveAddress(shard), m -> count(m.body(), hostedSessions, useful,
            wasted, messages)));
      }
    }
    consumers.forEach(c -> registered.add(c.completion()));
    Future.all(registered).await(120, TimeUnit.SECONDS);
    // Registration is complete on the edge; wait until the publisher's member sees every one.
    Thread.sleep(1000);
    long registerMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - registerStart) - 1000;

    Random random = new Random(42);
    long[] seq = new long[sessions.size()];
    long cpuStart = processCpuNanos();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long published = 0;
    long sent = 0;
    while (System.nanoTime() < end) {
      // One committed batch: events of random sessions, published the way the persistence verticle would.
      Map<String, List<StoredEvent>> bySession = new HashMap<>();
      for (int i = 0; i < batch; i++) {
        int s = random.nextInt(sessions.size());
        String session = sessions.get(s);
        bySession.computeIfAbsent(session, k -> new ArrayList<>())
            .add(new StoredEvent(session, ++seq[s], "t", System.currentTimeMillis(), "u", "{\"n\":" + seq[s] + "}"));
      }
      CountDownLatch done = new CountDownLatch(1);
      long target = useful.get() + bySession.entrySet().stream().filter(e -> hostedSessions.contains(e.getKey()))
          .mapToLong(e -> e.getValue().size()).sum();
      List<Object[]> outgoing = new ArrayList<>();
      if (perSession) {
        bySession.forEach((session, events) -> outgoing.add(new Object[] {"events.live.s." + session,
            new LiveBatch(events)}));
      } else {
        Map<Integer, List<StoredEvent>> byShard = new HashMap<>();
        bySession.forEach((session, events) -> byShard.computeIfAbsent(Addresses.shardOf(session),
            k -> new ArrayList<>()).addAll(events));
        byShard.forEach((shard, events) -> outgoing.add(new Object[] {Addresses.liveAddress(shard),
            new LiveBatch(events)}));
      }
      sent += outgoing.size();
      persistence.runOnContext(v -> {
        outgoing.forEach(o -> persistence.eventBus().publish((String) o[0], o[1]));
        done.countDown();
      });
      done.await();
      published += batch;
      // Keep a bounded number of events in flight, as group commit would.
      while (useful.get() < target - 20L * batch) {
        Thread.onSpinWait();
      }
    }
    long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long expected = published * hosted / sessions.size();
    while (useful.get() + wasted.get() < published && System.nanoTime() < drainDeadline
        && useful.get() < expected * 0.98) {
      Thread.sleep(5);
    }
    Thread.sleep(200);
    long cpu = processCpuNanos() - cpuStart;
    for (MessageConsumer<LiveBatch> consumer : consumers) {
      consumer.unregister();
    }
    Thread.sleep(1000);
    return String.format("{\"scheme\":\"%s\",\"sessions\":%d,\"hosted\":%d,\"batch\":%d,\"consumers\":%d,"
            + "\"registerMs\":%d,\"publishedEvents\":%d,\"busMessagesSent\":%d,\"busMessagesPerBatch\":%.1f,"
            + "\"usefulEvents\":%d,\"wastedEvents\":%d,\"usefulEventsPerSec\":%.0f,\"cpuUsPerUsefulEvent\":%.2f}",
        perSession ? "per-session" : "sharded-64", sessions.size(), hosted, batch, consumers.size(), registerMs,
        published, sent, (double) sent * batch / published, useful.get(), wasted.get(),
        useful.get() / (double) seconds, cpu / 1000.0 / Math.max(1, useful.get()));
  }

  private static void count(LiveBatch batch, java.util.Set<String> hosted, AtomicLong useful, AtomicLong wasted,
                            AtomicLong messages) {
    messages.incrementAndGet();
    for (StoredEvent event : batch.events()) {
      (hosted.contains(event.sessionId()) ? useful : wasted).incrementAndGet();
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static Vertx clustered(String cluster, int port) throws Exception {
    Config config = new Config().setClusterName(cluster);
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.getNetworkConfig().setPort(port).setPortAutoIncrement(true);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true)
        .addMember("127.0.0.1:25701").addMember("127.0.0.1:25702");
    config.getMultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(com.hazelcast.config.MultiMapConfig.ValueCollectionType.SET);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)))
        .withClusterManager(new HazelcastClusterManager(config)).buildClustered().await(60, TimeUnit.SECONDS);
    Codecs.register(vertx);
    return vertx;
  }
}
