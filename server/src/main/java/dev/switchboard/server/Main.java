package dev.switchboard.server;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code java -jar switchboard.jar [--roles edge,auth,presence,persistence] [--cluster] [--port N] [--config FILE]
 * [--exit-when-ready]}: starts one node, alone or as a member of a cluster, and drains it on SIGTERM. With
 * {@code --exit-when-ready} it stops (drained, exit 0) as soon as it is ready: the training run of a class data sharing
 * archive ({@code -XX:ArchiveClassesAtExit}, README: Starting faster), which then cuts the next starts' time.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  /** The flag of a node that stops once ready. */
  static final String EXIT_WHEN_READY = "--exit-when-ready";

  public static void main(String[] args) {
    boolean exitWhenReady = Arrays.asList(args).contains(EXIT_WHEN_READY);
    NodeSettings settings;
    try {
      settings = NodeSettings.resolve(configFile(args), environment(args));
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("switchboard: " + e.getMessage());
      System.exit(2);
      return;
    }
    // Logback started in text at its first use (this class's logger); nothing has been logged yet.
    settings.logFormat().install();
    Duration grace = settings.drainGrace();
    NodeMetrics metrics = NodeMetrics.of(settings.metrics());
    if (settings.cluster()) {
      ClusterSetup cluster;
      try {
        cluster = ClusterSetup.from(settings.config());
      } catch (IllegalArgumentException e) {
        System.err.println("switchboard: " + e.getMessage());
        System.exit(2);
        return;
      }
      LOG.info("joining cluster '{}' on {} (members {}, dns {}); event bus {}", cluster.name(), cluster.host(),
          cluster.members().isEmpty() ? "from cluster.xml" : cluster.members(), cluster.dns(),
          cluster.eventBusTls() == null ? "without TLS (only the network protects it)"
              : "with TLS, members authenticated by " + cluster.eventBusTls().caFile());
      JoiningProbe probe = JoiningProbe.open(settings.shared());
      cluster.join(metrics).onComplete(ar -> {
        if (probe != null) {
          probe.close();
        }
        if (ar.failed()) {
          LOG.error("switchboard could not join the cluster: {}", ar.cause().getMessage(), ar.cause());
          System.exit(1);
          return;
        }
        ClusterSetup.Clustered joined = ar.result();
        Membership.watch(joined);
        run(joined.vertx(), settings, grace, () -> joined.manager().isActive() ? null : "not a cluster member",
            metrics, exitWhenReady);
      });
    } else {
      run(metrics.newVertx(), settings, grace, () -> null, metrics, exitWhenReady);
    }
  }

  private static void run(Vertx vertx, NodeSettings settings, Duration grace, Supplier<String> clusterGate,
                          NodeMetrics metrics, boolean exitWhenReady) {
    SwitchboardNode.start(vertx, settings, clusterGate, metrics).onComplete(ar -> {
      if (ar.failed()) {
        LOG.error("switchboard failed to start: {}", ar.cause().getMessage(), ar.cause());
        vertx.close().onComplete(v -> System.exit(1));
        return;
      }
      SwitchboardNode node = ar.result();
      if (settings.devMode()) {
        LOG.warn("DEV MODE: a JWT secret was generated for this process{}; listening on {}{}."
            + " Set SB_JWT_SECRET (or a public key) for a real deployment.",
            settings.shared().devTokens() ? " and POST /dev/token mints tokens" : "", settings.shared().httpHost(),
            NodeSettings.DEV_MODE_HOST.equals(settings.shared().httpHost())
                ? " only (set SB_HTTP_HOST to listen on other addresses)" : "");
      }
      if (settings.cluster() && settings.shared().redisUrl() == null
          && (settings.roles().contains(Role.PRESENCE) || settings.roles().contains(Role.AUTH))) {
        LOG.warn("clustered without SB_REDIS_URL: presence and publish rate limits are kept in this process's memory;"
            + " run exactly one presence and one auth instance, or set SB_REDIS_URL");
      }
      LOG.info("switchboard ready: roles {}, http port {}{}{}", settings.roles(), node.httpPort(),
          settings.internalPort() == null ? "" : ", internal port " + node.internalPort(),
          settings.cluster() ? ", clustered" : "");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> drain(vertx, node, grace), "switchboard-drain"));
      if (exitWhenReady) {
        // Not on the event loop: exit waits for the drain hook, which needs the loops.
        new Thread(() -> System.exit(0), "switchboard-exit-when-ready").start();
      }
    });
  }

  /** SIGTERM: drain, leave the cluster, exit; all within the grace (SB_DRAIN_GRACE). */
  private static void drain(Vertx vertx, SwitchboardNode node, Duration grace) {
    long started = System.nanoTime();
    LOG.info("draining (grace {} s)", grace.toSeconds());
    try {
      node.drain(grace).eventually(() -> vertx.close())
          .toCompletionStage().toCompletableFuture().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("drained and left in {} ms", (System.nanoTime() - started) / 1_000_000);
    } catch (Exception e) {
      LOG.warn("drain did not finish within {} s: {}", grace.toSeconds(), e.toString());
    }
  }

  /** The environment, with command-line flags applied on top as their {@code SB_*} equivalents. */
  private static Map<String, String> environment(String[] args) {
    Map<String, String> env = new HashMap<>(System.getenv());
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--roles" -> env.put("SB_ROLES", value(args, ++i));
        case "--cluster" -> env.put("SB_CLUSTER", "true");
        case "--port" -> env.put("SB_HTTP_PORT", value(args, ++i));
        case "--config" -> i++;
        case EXIT_WHEN_READY -> { }
        default -> throw new IllegalArgumentException("unknown argument '" + args[i]
            + "'; use --roles LIST, --cluster, --port N, --config FILE, " + EXIT_WHEN_READY);
      }
    }
    return env;
  }

  private static JsonObject configFile(String[] args) throws IOException {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config")) {
        Path file = Path.of(value(args, i + 1));
        try {
          return new JsonObject(Files.readString(file));
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("config file " + file + " is not a JSON object: " + e.getMessage());
        }
      }
    }
    return new JsonObject();
  }

  private static String value(String[] args, int index) {
    if (index >= args.length) {
      throw new IllegalArgumentException(args[index - 1] + " needs a value");
    }
    return args[index];
  }
}
