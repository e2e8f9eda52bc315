package dev.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Idle connections with heartbeats on: the server's RSS and heap per connection (the growth from N/2 to N
 * connections, both after a full GC), the connect rate (all N again after that first pass, which is its warm-up),
 * and the CPU the server spends holding them.
 *
 * <p>The connections come from worker processes of at most --per-process connections each (one process may hold
 * 20,000 open files here), each on its own loopback source addresses; this process steers them over their stdin.
 */
final class IdleBench {

  private static final Pattern HEAP_USED = Pattern.compile("(?:generation|heap)\\s+total \\d+K, used (\\d+)K");

  private final BenchOptions options;

  IdleBench(BenchOptions options) {
    this.options = options;
  }

  void run() throws Exception {
    int connections = options.integer("connections", 10_000);
    int perProcess = options.integer("per-process", 10_000);
    int hold = options.integer("hold", 12);
    String target = options.string("target", "switchboard");
    String token = null;
    if (target.equals("switchboard")) {
      Vertx vertx = Vertx.vertx();
      token = options.token(vertx);
      vertx.close();
    }
    List<WorkerProcess> workers = new ArrayList<>();
    int processes = (connections + perProcess - 1) / perProcess;
    for (int w = 0; w < processes; w++) {
      int share = connections / processes + (w < connections % processes ? 1 : 0);
      // each worker takes a range of source addresses of its own: 127.0.0.(10 + 20 w) onwards, 5 per round
      workers.add(worker(share, 10 + 20 * w, token));
    }
    long pid = options.serverPid;
    ProcStats fresh = ProcStats.of(pid);
    long heapFresh = fullGcAndHeap(target, pid);

    // Memory: the marginal cost between N/2 and N connections, both after a full GC, so that what the first
    // connections pay once (JIT-compiled code, buffer pools, the allocator's arenas) is not charged per connection.
    System.err.printf("idle %s: %,d connections, first half%n", target, connections);
    JsonObject firstHalf = connectAll(workers, true);
    long heapHalf = fullGcAndHeap(target, pid);
    ProcStats half = ProcStats.of(pid);
    System.err.printf("idle %s: second half%n", target);
    connectAll(workers, false);
    // --settle S: unmeasured seconds before the hold, so that the JIT's compiling after the connects is not counted
    Thread.sleep(options.integer("settle", 0) * 1000L);
    ProcStats holding = ProcStats.of(pid);
    Thread.sleep(hold * 1000L);
    ProcStats held = ProcStats.of(pid).minus(holding);
    long open = 0;
    for (WorkerProcess w : workers) {
      open += w.command("status").getLong("open");
    }
    long heapFull = fullGcAndHeap(target, pid);
    ProcStats full = ProcStats.of(pid);
    workers.forEach(w -> w.command("close"));
    Thread.sleep(2000);

    // Connect rate: all N again, now that the first pass has warmed up both sides.
    System.err.printf("idle %s: connect rate, %,d connections again%n", target, connections);
    ProcStats beforeConnect = ProcStats.of(pid);
    JsonObject connect = connectAll(workers, null);
    ProcStats connecting = ProcStats.of(pid).minus(beforeConnect);
    workers.forEach(w -> w.command("close"));
    workers.forEach(w -> w.exit(10));

    int counted = connections - firstHalf.getInteger("connected");
    JsonObject result = new JsonObject().put("scenario", "idle").put("target", target).put("connections", connections)
        .put("label", options.string("label", null)).put("clientPingSec", options.integer("client-ping-sec", 0))
        .put("settleSec", options.integer("settle", 0))
        .put("processes", processes).put("holdSec", hold).put("openAfterHold", open)
        .put("connectsPerSec", connect.getLong("connectsPerSec")).put("connectSec", connect.getDouble("seconds"))
        .put("firstConnectsPerSec", firstHalf.getLong("connectsPerSec"))
        .put("generatorCpuPctWhileConnecting", connect.getLong("generatorCpuPct"))
        .put("serverCpuPctWhileConnecting", connecting.known()
            ? Math.round(100.0 * connecting.cpuNanos() / (connect.getDouble("seconds") * 1e9)) : null)
        .put("serverCpuUsPerConnect", connecting.known()
            ? Stats.round(connecting.cpuNanos() / 1000.0 / connections) : null)
        .put("failed", connect.getLong("failed"))
        .put("serverRssFreshMb", mb(fresh.rssBytes())).put("serverRssHalfMb", mb(half.rssBytes()))
        .put("serverRssMb", mb(full.rssBytes()))
        .put("rssKbPerConnection", Stats.round((full.rssBytes() - half.rssBytes()) / 1024.0 / counted))
        .put("rssKbPerConnectionFromFresh", Stats.round((full.rssBytes() - fresh.rssBytes()) / 1024.0 / connections));
    if (heapHalf >= 0 && heapFull >= 0) {
      result.put("heapFreshMb", mb(heapFresh)).put("heapMb", mb(heapFull))
          .put("heapKbPerConnection", Stats.round((heapFull - heapHalf) / 1024.0 / counted))
          .put("heapKbPerConnectionFromFresh", Stats.round((heapFull - heapFresh) / 1024.0 / connections));
    }
    if (held.known()) {
      result.put("serverCpuPctHolding", Stats.round(100.0 * held.cpuNanos() / (hold * 1e9)));
    }
    FanoutBench.emit(result);
  }

  /** Each worker connects its first half (true), its second half (false) or all of its share (null). */
  private JsonObject connectAll(List<WorkerProcess> workers, Boolean firstHalf) {
    workers.forEach(w -> w.send(firstHalf == null ? "connect all" : firstHalf ? "connect first" : "connect second"));
    long first = Long.MAX_VALUE;
    long last = 0;
    long connected = 0;
    long failed = 0;
    double cpu = 0;
    for (WorkerProcess w : workers) {
      JsonObject answer = w.answer();
      first = Math.min(first, answer.getLong("startMs"));
      last = Math.max(last, answer.getLong("endMs"));
      connected += answer.getLong("connected");
      failed += answer.getLong("failed");
      cpu += answer.getLong("cpuNanos");
    }
    double seconds = Math.max(1, last - first) / 1000.0;
    System.err.printf("  %,d connected in %.2f s (%,d failed)%n", connected, seconds, failed);
    return new JsonObject().put("connected", connected).put("connectsPerSec", Math.round(connected / seconds)).put("seconds", seconds)
        .put("failed", failed).put("generatorCpuPct", Math.round(100 * cpu / (seconds * 1e9)));
  }

  /** Heap in use after a full collection: jcmd on a JVM, the peer's /stats on Node; -1 when unknown. */
  private long fullGcAndHeap(String target, long pid) throws Exception {
    if (target.equals("socketio")) {
      HttpResponse<String> stats = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
          URI.create("http://" + options.host + ":" + options.port + "/stats?gc=1")).build(),
          HttpResponse.BodyHandlers.ofString());
      Thread.sleep(1000);
      return new JsonObject(stats.body()).getLong("heapUsed");
    }
    if (pid <= 0) {
      return -1;
    }
    jcmd(pid, "GC.run");
    Thread.sleep(1000);
    // G1 prints one "garbage-first heap" line, Serial and Parallel one line per generation: add them up
    Matcher used = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
    long kb = -1;
    while (used.find()) {
      kb = Math.max(kb, 0) + Long.parseLong(used.group(1));
    }
    return kb < 0 ? -1 : kb * 1024;
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    process.waitFor(30, TimeUnit.SECONDS);
    return output;
  }

  private static double mb(long bytes) {
    return Stats.round(bytes / 1048576.0);
  }

  /** A worker process holding a share of the connections, with this run's options passed on. */
  private WorkerProcess worker(int connections, int source, String token) throws IOException {
    List<String> arguments = new ArrayList<>(List.of("--connections", Integer.toString(connections),
        "--source", Integer.toString(source)));
    options.raw.forEach((key, value) -> {
      if (!key.equals("connections") && !key.equals("source")) {
        arguments.add("--" + key);
        arguments.add(value);
      }
    });
    if (token != null && !options.raw.containsKey("token")) {
      arguments.add("--token");
      arguments.add(token);
    }
    return new WorkerProcess("idle-worker", arguments);
  }

  /** The worker's side: connect, status, close, exit, read from stdin; one JSON answer per command on stdout. */
  static void worker(BenchOptions options) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    String targetName = options.string("target", "switchboard");
    Target target = Target.of(targetName, targetName.equals("switchboard") ? options.token(vertx) : null);
    int connections = options.integer("connections", 1000);
    int sessions = options.integer("sessions", 1000);
    int source = options.integer("source", 10);
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in));
    List<WireSocket> open = new CopyOnWriteArrayList<>();
    // --client-ping-sec N: every socket also sends {"type":"ping"} every N s, as the JavaScript client does on a quiet
    // socket (it cannot see the server's ping control frames); spread over the interval rather than in one burst.
    int clientPingSec = options.integer("client-ping-sec", 0);
    if (clientPingSec > 0) {
      long tickMs = 100;
      long ticksPerInterval = clientPingSec * 1000L / tickMs;
      long[] tick = {0};
      vertx.setPeriodic(tickMs, t -> {
        long slot = tick[0]++ % ticksPerInterval;
        WireSocket[] sockets = open.toArray(new WireSocket[0]);
        for (int i = (int) slot; i < sockets.length; i += (int) ticksPerInterval) {
          WireSocket ws = sockets[i];
          if (!ws.isClosed()) {
            ws.sendText("{\"type\":\"ping\"}");
          }
        }
      });
    }
    int round = 0;
    for (String line = commands.readLine(); line != null && !line.equals("exit"); line = commands.readLine()) {
      switch (line.startsWith("connect ") ? "connect" : line) {
        case "connect" -> {
          String part = line.substring(8);
          int count = part.equals("all") ? connections
              : part.equals("first") ? connections / 2 : connections - connections / 2;
          // a fresh connector per round, on fresh source addresses: the last round's ports sit in TIME_WAIT
          Connector connector = new Connector(vertx, options, target, source + 5 * (round++ % 4));
          ProcStats cpu = ProcStats.self();
          long start = System.currentTimeMillis();
          Future<List<WireSocket>> all = connector.openMany(count, options.integer("window", 512),
              i -> "idle-" + (i % sessions), i -> new Target.Listener() { });
          long failed = 0;
          try {
            open.addAll(all.await(120, TimeUnit.SECONDS));
          } catch (Exception e) {
            System.err.println("idle worker: " + e.getMessage());
            failed = count;
          }
          long end = System.currentTimeMillis();
          System.out.println(new JsonObject().put("connected", count - failed).put("failed", failed)
              .put("startMs", start).put("endMs", end).put("cpuNanos", ProcStats.self().minus(cpu).cpuNanos()).encode());
        }
        case "status" -> System.out.println(new JsonObject()
            .put("open", open.stream().filter(ws -> !ws.isClosed()).count()).encode());
        case "close" -> {
          List<WireSocket> closing = List.copyOf(open);
          open.clear();
          vertx.runOnContext(v -> closing.forEach(WireSocket::close));
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (closing.stream().anyMatch(ws -> !ws.isClosed()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
          }
          System.out.println(new JsonObject().put("closed", closing.size()).encode());
        }
        default -> System.out.println(new JsonObject().put("error", "unknown command " + line).encode());
      }
      System.out.flush();
    }
    vertx.close();
  }
}
