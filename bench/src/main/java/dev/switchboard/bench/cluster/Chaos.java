package dev.switchboard.bench.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded chaos run on loopback: a cluster of N node processes on PostgreSQL and Redis, subscribers spread over the
 * nodes (WebSocket, some SSE) that fail over like real clients, steady publishing over REST with idempotency keys,
 * and a random node killed (alternately {@code kill -9} and SIGTERM) and restarted every interval. At the end it checks
 * that no acknowledged event was lost, no subscriber saw a duplicate or a gap, and every subscriber is at its
 * session's head; it samples each node's heap and RSS as it goes. Results: JSON and Markdown in the output directory.
 *
 * <pre>java -cp bench/target/switchboard-bench.jar dev.switchboard.bench.cluster.Chaos --minutes 10
 *     --subscribers 2000 --nodes 3 --rate 50 --jar server/target/switchboard.jar --pg-url postgresql://...</pre>
 */
public final class Chaos {

  private final Map<String, String> options;
  private final Random random = new Random();
  private final List<Node> nodes = new ArrayList<>();
  private final List<Subscriber> subscribers = new ArrayList<>();
  private final List<String> sessions = new ArrayList<>();
  /** Per session: acknowledged number -> eventId. */
  private final Map<String, Map<Integer, Long>> acked = new ConcurrentHashMap<>();
  private final AtomicLong publishFailures = new AtomicLong();
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private Vertx vertx;
  private volatile boolean publishing = true;
  /** Set before the nodes stop at the end, so that clients stop reconnecting. */
  private volatile boolean finished;

  private Chaos(Map<String, String> options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int code = new Chaos(options).run();
    System.exit(code);
  }

  private String option(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  private int run() throws Exception {
    double minutes = Double.parseDouble(option("minutes", "10"));
    int nodeCount = Integer.parseInt(option("nodes", "3"));
    int subscriberCount = Integer.parseInt(option("subscribers", "2000"));
    int sessionCount = Integer.parseInt(option("sessions", "20"));
    int rate = Integer.parseInt(option("rate", "50"));
    int killEverySec = Integer.parseInt(option("kill-every", "60"));
    int ssePercent = Integer.parseInt(option("sse-percent", "10"));
    int basePort = Integer.parseInt(option("base-port", "18401"));
    Path out = Path.of(option("out", "bench/results/chaos-" + Instant.now().toString().replace(':', '-')));
    Files.createDirectories(out);
    String cluster = "chaos-" + UUID.randomUUID();
    String members = "";
    for (int i = 0; i < nodeCount; i++) {
      members += (i == 0 ? "" : ",") + "127.0.0.1:" + (basePort + 100 + i);
    }
    for (int i = 0; i < nodeCount; i++) {
      Map<String, String> env = new HashMap<>();
      env.put("SB_CLUSTER", "true");
      env.put("SB_CLUSTER_NAME", cluster);
      env.put("SB_CLUSTER_MEMBERS", members);
      env.put("SB_CLUSTER_PORT", Integer.toString(basePort + 100 + i));
      env.put("SB_HTTP_HOST", "127.0.0.1");
      env.put("SB_HTTP_PORT", Integer.toString(basePort + i));
      env.put("SB_PG_URL", option("pg-url", "postgresql://postgres@127.0.0.1:5432/switchboard_chaos"));
      if (!option("redis-url", "redis://127.0.0.1:6379").equals("none")) {
        env.put("SB_REDIS_URL", option("redis-url", "redis://127.0.0.1:6379"));
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
      nodes.add(new Node(i + 1, basePort + i, env, out, option("jar", "server/target/switchboard.jar")));
    }
    try {
      log("starting %d nodes", nodeCount);
      for (Node node : nodes) {
        node.start();
      }
      for (Node node : nodes) {
        node.awaitReady(120);
      }
      vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
      String token = WebClient.create(vertx).post(nodes.get(0).port, "127.0.0.1", "/dev/token")
          .sendJsonObject(new JsonObject().put("sub", "chaos").put("sessions", new JsonArray().add("*"))
              .put("publish", new JsonArray().add("*")).put("ttlSec", 86_400))
          .await(10, TimeUnit.SECONDS).bodyAsJsonObject().getString("token");
      for (int i = 0; i < sessionCount; i++) {
        String session = "chaos-" + i;
        sessions.add(session);
        acked.put(session, new ConcurrentHashMap<>());
      }
      WebSocketClient webSockets = vertx.createWebSocketClient(new WebSocketClientOptions()
          .setMaxConnections(subscriberCount * 2));
      HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false),
          new io.vertx.core.http.PoolOptions().setHttp1MaxSize(subscriberCount * 2));
      for (int i = 0; i < subscriberCount; i++) {
        boolean sse = i % 100 < ssePercent;
        subscribers.add(new Subscriber(sse, sessions.get(i % sessionCount), token, webSockets, http));
      }
      for (Subscriber subscriber : subscribers) {
        vertx.runOnContext(v -> subscriber.connect());
      }
      waitUntil(() -> subscribers.stream().allMatch(s -> s.live), 120, "every subscriber is live");
      log("%d subscribers live over %d sessions (%d%% SSE)", subscriberCount, sessionCount, ssePercent);

      startPublishing(token, rate);
      long end = System.nanoTime() + (long) (minutes * 60e9);
      long nextKill = System.nanoTime() + killEverySec * 1_000_000_000L;
      long nextSample = System.nanoTime();
      int kills = 0;
      while (System.nanoTime() < end) {
        if (System.nanoTime() >= nextSample) {
          nodes.forEach(Node::sample);
          nextSample += 30_000_000_000L;
          long ackedNow = acked.values().stream().mapToLong(Map::size).sum();
          log("acked %d, publish failures %d, subscribers live %d/%d", ackedNow, publishFailures.get(),
              subscribers.stream().filter(s -> s.live).count(), subscribers.size());
        }
        if (System.nanoTime() >= nextKill && System.nanoTime() + 20_000_000_000L < end) {
          Node victim = nodes.get(random.nextInt(nodes.size()));
          boolean hard = kills % 2 == 0;
          kills++;
          log("%s node %d", hard ? "kill -9" : "SIGTERM", victim.index);
          events.add(Instant.now() + " " + (hard ? "kill -9" : "SIGTERM") + " node " + victim.index);
          if (hard) {
            victim.kill9();
          } else {
            victim.terminate();
          }
          Thread.sleep(3000);
          victim.start();
          victim.awaitReady(120);
          log("node %d back", victim.index);
          nextKill = System.nanoTime() + killEverySec * 1_000_000_000L;
        }
        Thread.sleep(200);
      }
      publishing = false;
      Thread.sleep(3000);
      log("publishing stopped; waiting for every subscriber to be current");
      Map<String, List<JsonObject>> stored = new HashMap<>();
      for (String session : sessions) {
        stored.put(session, history(session, token));
      }
      boolean current = waitUntil(() -> subscribers.stream()
          .allMatch(s -> s.position() == stored.get(s.session).size()), 120, "every subscriber is current");
      nodes.forEach(Node::sample);
      return report(out, stored, current, kills, minutes, rate, subscriberCount, sessionCount);
    } finally {
      publishing = false;
      finished = true;
      for (Node node : nodes) {
        node.terminate();
      }
      if (vertx != null) {
        vertx.close();
      }
    }
  }

  private void startPublishing(String token, int rate) {
    WebClient web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setConnectTimeout(2000),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64));
    AtomicInteger counter = new AtomicInteger();
    long start = System.nanoTime();
    long[] issued = {0};
    vertx.setPeriodic(5, timer -> {
      if (!publishing) {
        vertx.cancelTimer(timer);
        return;
      }
      long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
      for (; issued[0] < due; issued[0]++) {
        int n = counter.incrementAndGet();
        publish(web, token, sessions.get(n % sessions.size()), n, 0);
      }
    });
  }

  private void publish(WebClient web, String token, String session, int n, int attempt) {
    Node node = nodes.get(Math.floorMod(n + attempt, nodes.size()));
    web.post(node.port, "127.0.0.1", "/sessions/" + session + "/events").bearerTokenAuthentication(token)
        .timeout(15_000)
        .sendJsonObject(new JsonObject().put("eventType", "n").put("idempotencyKey", "n-" + n)
            .put("payload", new JsonObject().put("n", n)))
        .onComplete(ar -> {
          if (ar.succeeded() && (ar.result().statusCode() == 201 || ar.result().statusCode() == 200)) {
            acked.get(session).put(n, Long.parseLong(ar.result().bodyAsJsonObject().getString("eventId")));
          } else if (!finished) {
            publishFailures.incrementAndGet();
            // Retried with the same key, on the next node, until it is acknowledged (even after publishing stops).
            vertx.setTimer(100, t -> publish(web, token, session, n, attempt + 1));
          }
        });
  }

  private List<JsonObject> history(String session, String token) throws Exception {
    WebClient web = WebClient.create(vertx);
    List<JsonObject> all = new ArrayList<>();
    long after = 0;
    Node node = nodes.get(0);
    while (true) {
      JsonArray page = web.get(node.port, "127.0.0.1", "/sessions/" + session + "/events?limit=1000&after=" + after)
          .bearerTokenAuthentication(token).send().await(30, TimeUnit.SECONDS).bodyAsJsonObject()
          .getJsonArray("events");
      if (page.isEmpty()) {
        return all;
      }
      page.forEach(e -> all.add((JsonObject) e));
      after = Long.parseLong(all.get(all.size() - 1).getString("eventId"));
    }
  }

  private int report(Path out, Map<String, List<JsonObject>> stored, boolean current, int kills, double minutes,
                     int rate, int subscriberCount, int sessionCount) throws IOException {
    long ackedCount = 0;
    long lostAcked = 0;
    long storedCount = 0;
    long storedTwice = 0;
    long logGaps = 0;
    for (String session : sessions) {
      List<JsonObject> log = stored.get(session);
      storedCount += log.size();
      Set<Integer> numbers = new HashSet<>();
      for (int i = 0; i < log.size(); i++) {
        if (!log.get(i).getString("eventId").equals(Long.toString(i + 1))) {
          logGaps++;
        }
        if (!numbers.add(log.get(i).getJsonObject("payload").getInteger("n"))) {
          storedTwice++;
        }
      }
      for (Map.Entry<Integer, Long> ack : acked.get(session).entrySet()) {
        ackedCount++;
        long id = ack.getValue();
        if (id < 1 || id > log.size()
            || !ack.getKey().equals(log.get((int) id - 1).getJsonObject("payload").getInteger("n"))) {
          lostAcked++;
        }
      }
    }
    long duplicates = subscribers.stream().mapToLong(s -> s.duplicates).sum();
    long gaps = subscribers.stream().mapToLong(s -> s.gaps).sum();
    long behind = subscribers.stream().filter(s -> s.position() != stored.get(s.session).size()).count();
    long deliveries = subscribers.stream().mapToLong(s -> s.delivered).sum();
    long reconnects = subscribers.stream().mapToLong(s -> s.reconnects).sum();
    List<Long> resumes = new ArrayList<>();
    subscribers.forEach(s -> resumes.addAll(s.resumeMillis));
    Collections.sort(resumes);
    JsonObject result = new JsonObject().put("minutes", minutes).put("nodes", nodes.size()).put("kills", kills)
        .put("subscribers", subscriberCount).put("sessions", sessionCount).put("ratePerSec", rate)
        .put("acknowledged", ackedCount).put("stored", storedCount).put("acknowledgedLost", lostAcked)
        .put("storedTwice", storedTwice).put("logGaps", logGaps).put("publishAttemptsFailed", publishFailures.get())
        .put("deliveries", deliveries).put("subscriberDuplicates", duplicates).put("subscriberGaps", gaps)
        .put("subscribersBehindAtEnd", behind).put("allCurrent", current).put("reconnects", reconnects)
        .put("resumeP50Ms", percentile(resumes, 50)).put("resumeP95Ms", percentile(resumes, 95))
        .put("resumeMaxMs", resumes.isEmpty() ? 0 : resumes.get(resumes.size() - 1))
        .put("events", new JsonArray(new ArrayList<>(events)));
    JsonArray memory = new JsonArray();
    for (Node node : nodes) {
      memory.add(new JsonObject().put("node", node.index).put("starts", node.starts)
          .put("samplesSinceLastStart", new JsonArray(new ArrayList<>(node.samples))));
    }
    result.put("memory", memory);
    Files.writeString(out.resolve("chaos.json"), result.encodePrettily());
    StringBuilder md = new StringBuilder("| figure | value |\n|---|---|\n");
    for (String key : List.of("minutes", "nodes", "kills", "subscribers", "sessions", "ratePerSec", "acknowledged",
        "stored", "acknowledgedLost", "storedTwice", "logGaps", "publishAttemptsFailed", "deliveries",
        "subscriberDuplicates", "subscriberGaps", "subscribersBehindAtEnd", "reconnects", "resumeP50Ms", "resumeP95Ms",
        "resumeMaxMs")) {
      md.append("| ").append(key).append(" | ").append(result.getValue(key)).append(" |\n");
    }
    md.append("\n| node | starts | first sample since last start | last sample |\n|---|---|---|---|\n");
    for (Node node : nodes) {
      md.append("| ").append(node.index).append(" | ").append(node.starts).append(" | ")
          .append(node.samples.isEmpty() ? "" : node.samples.get(0)).append(" | ")
          .append(node.samples.isEmpty() ? "" : node.samples.get(node.samples.size() - 1)).append(" |\n");
    }
    Files.writeString(out.resolve("chaos.md"), md.toString());
    System.out.println(result.copy().put("memory", memory).encode());
    System.err.println(md);
    boolean ok = lostAcked == 0 && storedTwice == 0 && logGaps == 0 && duplicates == 0 && gaps == 0 && behind == 0;
    log(ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
  }

  private static long percentile(List<Long> sorted, int percent) {
    if (sorted.isEmpty()) {
      return 0;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
  }

  private boolean waitUntil(java.util.function.BooleanSupplier condition, int seconds, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        log("gave up waiting until %s", what);
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }

  private static void log(String format, Object... args) {
    System.err.printf("%s chaos: %s%n", Instant.now(), String.format(format, args));
  }

  private List<Node> liveNodes() {
    List<Node> live = new ArrayList<>();
    for (Node node : nodes) {
      if (node.isAlive()) {
        live.add(node);
      }
    }
    return live.isEmpty() ? nodes : live;
  }

  /** A client that fails over like the JavaScript client: another node, resume from the last eventId. */
  private final class Subscriber {
    final boolean sse;
    final String session;
    final String token;
    final WebSocketClient webSockets;
    final HttpClient http;
    volatile boolean live;
    long last;
    long duplicates;
    long gaps;
    long delivered;
    long reconnects;
    long droppedAt = -1;
    final List<Long> resumeMillis = Collections.synchronizedList(new ArrayList<>());

    Subscriber(boolean sse, String session, String token, WebSocketClient webSockets, HttpClient http) {
      this.sse = sse;
      this.session = session;
      this.token = token;
      this.webSockets = webSockets;
      this.http = http;
    }

    synchronized long position() {
      return last;
    }

    void connect() {
      List<Node> live = liveNodes();
      int port = live.get(random.nextInt(live.size())).port;
      if (sse) {
        http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
                .setURI("/events?sessionId=" + session + "&access_token=" + token)
                .putHeader("Accept", "text/event-stream").putHeader("Last-Event-ID", Long.toString(position())))
            .compose(request -> request.send())
            .onSuccess(response -> {
              if (response.statusCode() != 200) {
                response.request().connection().close();
                retry();
                return;
              }
              StringBuilder pending = new StringBuilder();
              response.handler(chunk -> feed(pending, chunk));
              response.endHandler(v -> dropped());
              response.exceptionHandler(e -> dropped());
            })
            .onFailure(e -> retry());
      } else {
        var socket = webSockets.webSocket();
        socket.textMessageHandler(text -> onFrame(new JsonObject(text)));
        socket.closeHandler(v -> dropped());
        socket.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setAllowOriginHeader(false)
                .setURI("/events?sessionId=" + session + "&fromEventId=" + position() + "&access_token=" + token))
            .onFailure(e -> retry());
      }
    }

    private void feed(StringBuilder pending, Buffer chunk) {
      pending.append(chunk.toString());
      int end;
      while ((end = pending.indexOf("\n\n")) >= 0) {
        String block = pending.substring(0, end);
        pending.delete(0, end + 2);
        for (String line : block.split("\n")) {
          if (line.startsWith("data: ")) {
            onFrame(new JsonObject(line.substring(6)));
          }
        }
      }
    }

    private synchronized void onFrame(JsonObject frame) {
      String type = frame.getString("type", "");
      if (type.equals("event")) {
        long id = Long.parseLong(frame.getString("eventId"));
        if (id <= last) {
          duplicates++;
        } else {
          if (id != last + 1) {
            gaps++;
          }
          last = id;
          delivered++;
        }
      } else if (type.equals("replayed")) {
        live = true;
        if (droppedAt >= 0) {
          resumeMillis.add(System.currentTimeMillis() - droppedAt);
          droppedAt = -1;
        }
      }
    }

    private void dropped() {
      synchronized (this) {
        if (live) {
          droppedAt = System.currentTimeMillis();
          reconnects++;
        }
        live = false;
      }
      retry();
    }

    private void retry() {
      if (!finished) {
        vertx.setTimer(100 + random.nextInt(400), t -> connect());
      }
    }
  }

  /** One node process: started, killed, terminated, restarted on the same ports; heap and RSS sampled. */
  private static final class Node {
    final int index;
    final int port;
    final Map<String, String> env;
    final Path logDir;
    final String jar;
    final List<String> samples = Collections.synchronizedList(new ArrayList<>());
    Process process;
    int starts;

    Node(int index, int port, Map<String, String> env, Path logDir, String jar) {
      this.index = index;
      this.port = port;
      this.env = env;
      this.logDir = logDir;
      this.jar = jar;
    }

    void start() throws IOException {
      starts++;
      samples.clear();
      ProcessBuilder builder = new ProcessBuilder("java", "-Xmx512m", "-jar", jar);
      builder.environment().keySet().removeIf(k -> k.startsWith("SB_"));
      builder.environment().putAll(env);
      builder.redirectErrorStream(true).redirectOutput(logDir.resolve("node-" + index + "-" + starts + ".log")
          .toFile());
      process = builder.start();
    }

    boolean isAlive() {
      return process != null && process.isAlive();
    }

    void awaitReady(int seconds) throws Exception {
      java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
      long deadline = System.nanoTime() + seconds * 1_000_000_000L;
      while (System.nanoTime() < deadline) {
        try {
          if (client.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
              .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return;
          }
        } catch (IOException notYet) {
          // starting
        }
        Thread.sleep(200);
      }
      throw new IllegalStateException("node " + index + " not ready within " + seconds + " s");
    }

    void kill9() throws InterruptedException {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    void terminate() throws InterruptedException {
      if (process != null && process.isAlive()) {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    }

    /** RSS (/proc) and used heap (jcmd GC.heap_info) now, as "rss 312 MB, heap 85 MB". */
    void sample() {
      if (!isAlive()) {
        return;
      }
      try {
        long pid = process.pid();
        long rssKb = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
            .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst()
            .orElse(-1);
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "GC.heap_info").redirectErrorStream(true)
            .start();
        String heapInfo = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor(10, TimeUnit.SECONDS);
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(heapInfo);
        long heapKb = used.find() ? Long.parseLong(used.group(1)) : -1;
        samples.add("rss " + rssKb / 1024 + " MB, heap " + heapKb / 1024 + " MB");
      } catch (IOException | InterruptedException | RuntimeException e) {
        samples.add("sample failed: " + e);
      }
    }
  }
}
