package dev.switchboard.realtime;

import dev.switchboard.protocol.RedisClients;
import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.realtime.hub.EventLog;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The checks {@code /health} and {@code /ready} report (docs/PROTOCOL.md, {@code GET /health}, {@code GET /ready}),
 * run through vertx-health-check, each with its own deadline:
 * <ul>
 *   <li>{@code drain}: down from the start of a drain;</li>
 *   <li>{@code cluster}: down while the process is not a working cluster member (always up when not clustered);</li>
 *   <li>{@code store}: the event log answers a head read (only where the process has a log to check);</li>
 *   <li>{@code redis}: Redis answers {@code PING} (only with {@code SB_REDIS_URL}); reported, never a reason to be
 *       unready, since without Redis events still flow.</li>
 * </ul>
 */
public final class ProbeChecks {

  /** A session id that is valid but never published to: reading its head touches the store cheaply. */
  private static final String PROBE_SESSION = "_ready";
  private static final long TIMEOUT_MS = 5_000;
  static final String STORE_UNREACHABLE = "the event store is not reachable";
  static final String REDIS_UNREACHABLE = "Redis is not reachable";
  /** The checks whose failure makes the process unready, in the order their reasons are given. */
  static final List<String> REQUIRED = List.of("drain", "cluster", "store");

  private final HealthChecks checks;

  /**
   * @param log      the event log whose head is read, or null when the process has none to check
   * @param draining whether the process drains
   * @param nodeGate why the process as a whole is not ready (not a cluster member, say), or null when it is
   * @param redisUrl {@code SB_REDIS_URL}, or null
   */
  public ProbeChecks(Vertx vertx, EventLog log, BooleanSupplier draining, Supplier<String> nodeGate,
                     String redisUrl) {
    checks = HealthChecks.create(vertx);
    checks.register("drain", TIMEOUT_MS, p -> complete(p, draining.getAsBoolean() ? "draining" : null));
    checks.register("cluster", TIMEOUT_MS, p -> complete(p, nodeGate.get()));
    if (log != null) {
      checks.register("store", TIMEOUT_MS, p -> log.replay(ReplayRequest.head(PROBE_SESSION))
          .onComplete(ar -> complete(p, ar.succeeded() ? null : STORE_UNREACHABLE)));
    }
    if (redisUrl != null) {
      Redis redis = RedisClients.create(vertx, redisUrl, 1, 8);
      checks.register("redis", TIMEOUT_MS, p -> redis.send(Request.cmd(Command.PING))
          .onComplete(ar -> complete(p, ar.succeeded() ? null : REDIS_UNREACHABLE)));
    }
  }

  private static void complete(Promise<Status> promise, String downBecause) {
    promise.complete(downBecause == null ? Status.OK()
        : Status.KO(new JsonObject().put("message", downBecause)));
  }

  /** Runs every check; the result is never a failure. */
  Future<Outcome> run() {
    return checks.checkStatus().map(Outcome::of);
  }

  /**
   * What the checks found: {@code checks} as the probes' bodies carry them, {@code {"store":{"status":"up"},
   * "redis":{"status":"down","message":"Redis is not reachable"}}}; {@code notReady} the reason of the first
   * required check that is down, or null.
   */
  record Outcome(JsonObject checks, String notReady) {

    static Outcome of(CheckResult result) {
      JsonObject checks = new JsonObject();
      String notReady = null;
      for (String id : REQUIRED) {
        if (notReady == null) {
          notReady = reasonIfDown(result, id);
        }
      }
      for (CheckResult check : result.getChecks()) {
        boolean up = Boolean.TRUE.equals(check.getUp());
        JsonObject entry = new JsonObject().put("status", up ? "up" : "down");
        if (!up) {
          entry.put("message", message(check));
        }
        checks.put(check.getId(), entry);
      }
      return new Outcome(checks, notReady);
    }

    private static String reasonIfDown(CheckResult result, String id) {
      for (CheckResult check : result.getChecks()) {
        if (check.getId().equals(id) && !Boolean.TRUE.equals(check.getUp())) {
          return message(check);
        }
      }
      return null;
    }

    /** The check's own reason, or (a procedure that timed out or threw) a generic one. */
    private static String message(CheckResult check) {
      JsonObject data = check.getData();
      String message = data == null ? null : data.getString("message");
      if (message != null) {
        return message;
      }
      return check.getId().equals("store") ? STORE_UNREACHABLE : check.getId() + " check did not answer";
    }
  }
}
