package dev.switchboard.bench;

import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.ConnectionState;
import dev.switchboard.client.Event;
import dev.switchboard.client.PublishResult;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.SwitchboardListener;
import dev.switchboard.client.Transport;
import io.vertx.core.Vertx;
import okhttp3.OkHttpClient;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Java client (clients/java) against a running node: how many events per second one client receives and the
 * client's CPU per event (a backlog replayed from position 0, on WebSocket and on SSE; the bench JVM runs nothing
 * else meanwhile, so its process CPU is the client's), and its heap per subscription and per client.
 *
 * <pre>java -jar bench/target/switchboard-bench.jar java-client --port 8080 [--events 20000] [--clients 50]</pre>
 *
 * The node needs {@code SB_PUBLISH_RATE=0} (bench/start-switchboard.sh sets it) to take the backlog quickly.
 */
final class JavaClientBench {

  /** The server's limit of sessions per connection (SB_MAX_SUBSCRIPTIONS). */
  private static final int SESSIONS_PER_CLIENT = 100;

  private final BenchOptions options;
  private final String url;
  private final String token;
  private final String run = Long.toString(System.currentTimeMillis(), 36);

  JavaClientBench(BenchOptions options) throws Exception {
    this.options = options;
    this.url = "http://" + options.string("host", "127.0.0.1") + ":" + options.integer("port", 8080);
    Vertx vertx = Vertx.vertx();
    try {
      this.token = options.token(vertx);
    } finally {
      vertx.close().await();
    }
  }

  void run() throws Exception {
    int events = options.integer("events", 20_000);
    // An unmeasured round first, so the measured ones run compiled code rather than the JIT's first passes.
    String warmup = "jc-warmup-" + run;
    publishBacklog(warmup, events);
    for (Transport transport : Transport.values()) {
      receive(warmup, events, transport, false);
    }
    for (Transport transport : Transport.values()) {
      String session = "jc-rx-" + transport.wire() + "-" + run;
      publishBacklog(session, events);
      receive(session, events, transport, true);
    }
    memoryPerSubscription();
    memoryPerClient(options.integer("clients", 50));
  }

  private void publishBacklog(String session, int events) throws Exception {
    try (SwitchboardClient publisher = new SwitchboardClient(ClientOptions.builder(url).token(token).build())) {
      Semaphore inFlight = new Semaphore(64);
      List<CompletableFuture<PublishResult>> publishes = new ArrayList<>();
      for (int n = 1; n <= events; n++) {
        inFlight.acquire();
        CompletableFuture<PublishResult> publish = publisher.publish(session, "bench", "{\"n\":" + n
            + ",\"filler\":\"" + "x".repeat(options.integer("payload", 200)) + "\"}");
        publish.whenComplete((result, failure) -> inFlight.release());
        publishes.add(publish);
      }
      for (CompletableFuture<PublishResult> publish : publishes) {
        publish.get(60, TimeUnit.SECONDS);
      }
    }
  }

  private void receive(String session, int events, Transport transport, boolean measured) throws Exception {
    AtomicLong received = new AtomicLong();
    CompletableFuture<Void> all = new CompletableFuture<>();
    SwitchboardListener counter = new SwitchboardListener() {
      @Override
      public void onEvent(Event event) {
        if (received.incrementAndGet() == events) {
          all.complete(null);
        }
      }
    };
    long cpuBefore = processCpuNanos();
    long started = System.nanoTime();
    try (SwitchboardClient client = new SwitchboardClient(ClientOptions.builder(url).token(token)
        .transports(transport).listener(counter).build())) {
      client.subscribe(session, "0").connect();
      all.get(120, TimeUnit.SECONDS);
      long elapsed = System.nanoTime() - started;
      long cpu = processCpuNanos() - cpuBefore;
      if (!measured) {
        return;
      }
      report("receive", String.format(Locale.ROOT,
          "\"transport\":\"%s\",\"events\":%d,\"seconds\":%.2f,\"eventsPerSec\":%.0f,\"clientCpuMicrosPerEvent\":%.1f",
          transport.wire(), events, elapsed / 1e9, events / (elapsed / 1e9), cpu / 1e3 / events));
    }
  }

  /** One client, {@value #SESSIONS_PER_CLIENT} sessions on one WebSocket: the heap each subscription adds. */
  private void memoryPerSubscription() throws Exception {
    ExecutorService callbacks = Executors.newSingleThreadExecutor();
    try (SwitchboardClient client = new SwitchboardClient(ClientOptions.builder(url).token(token)
        .transports(Transport.WEBSOCKET).callbackExecutor(callbacks).build())) {
      client.connect();
      awaitConnected(client);
      long before = heapAfterGc();
      for (int i = 0; i < SESSIONS_PER_CLIENT; i++) {
        client.subscribe("jc-mem-" + run + "-" + i);
      }
      waitForPositions(client, SESSIONS_PER_CLIENT);
      long after = heapAfterGc();
      report("memoryPerSubscription", String.format(Locale.ROOT, "\"sessions\":%d,\"heapBytesPerSubscription\":%d",
          SESSIONS_PER_CLIENT, (after - before) / SESSIONS_PER_CLIENT));
    } finally {
      callbacks.shutdown();
    }
  }

  /** {@code count} clients with one session each, sharing one OkHttpClient: the heap and threads one client adds. */
  private void memoryPerClient(int count) throws Exception {
    OkHttpClient http = new OkHttpClient.Builder().build();
    http.dispatcher().setMaxRequestsPerHost(count * 2);
    http.dispatcher().setMaxRequests(count * 2);
    long before = heapAfterGc();
    int threadsBefore = Thread.activeCount();
    List<SwitchboardClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        SwitchboardClient client = new SwitchboardClient(ClientOptions.builder(url).token(token)
            .transports(Transport.WEBSOCKET).okHttpClient(http).build());
        clients.add(client.subscribe("jc-clients-" + run + "-" + i).connect());
      }
      for (SwitchboardClient client : clients) {
        waitForPositions(client, 1);
      }
      long after = heapAfterGc();
      report("memoryPerClient", String.format(Locale.ROOT,
          "\"clients\":%d,\"heapBytesPerClient\":%d,\"threadsPerClient\":%.1f", count, (after - before) / count,
          (Thread.activeCount() - threadsBefore) / (double) count));
    } finally {
      clients.forEach(SwitchboardClient::close);
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  private static void awaitConnected(SwitchboardClient client) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (client.state().phase() != ConnectionState.Phase.CONNECTED) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not connected: " + client.state());
      }
      Thread.sleep(10);
    }
  }

  /** Every session has a position once its {@code replayed} arrived: the subscription is in place. */
  private static void waitForPositions(SwitchboardClient client, int sessions) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (client.sessions().stream().filter(s -> client.position(s) != null).count() < sessions) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("subscriptions not in place: " + client.state());
      }
      Thread.sleep(10);
    }
  }

  private static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void report(String measure, String fields) {
    System.out.println("{\"bench\":\"java-client\",\"measure\":\"" + measure + "\"," + fields + "}");
  }
}
