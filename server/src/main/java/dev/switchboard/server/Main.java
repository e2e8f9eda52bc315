package dev.switchboard.server;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar switchboard.jar [--roles edge,auth,presence,persistence] [--config FILE]}: starts one node.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    NodeSettings settings;
    try {
      settings = NodeSettings.resolve(configFile(args), environment(args));
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("switchboard: " + e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    NodeSettings started = settings;
    SwitchboardNode.start(vertx, settings).onComplete(ar -> {
      if (ar.failed()) {
        LOG.error("switchboard failed to start: {}", ar.cause().getMessage(), ar.cause());
        vertx.close().onComplete(v -> System.exit(1));
        return;
      }
      SwitchboardNode node = ar.result();
      if (started.devMode()) {
        LOG.warn("DEV MODE: a JWT secret was generated for this process and POST /dev/token mints tokens."
            + " Set SB_JWT_SECRET (or a public key) for a real deployment.");
      }
      LOG.info("switchboard ready: roles {}, http port {}", started.roles(), node.httpPort());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        LOG.info("shutting down");
        try {
          node.stop().compose(v -> vertx.close()).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
          LOG.warn("shutdown did not finish cleanly: {}", e.toString());
        }
      }, "switchboard-shutdown"));
    });
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
        default -> throw new IllegalArgumentException("unknown argument '" + args[i]
            + "'; use --roles LIST, --cluster, --port N, --config FILE");
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
