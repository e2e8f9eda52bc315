package dev.switchboard.realtime;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.realtime.http.HttpErrors;
import dev.switchboard.realtime.hub.EventLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.function.Supplier;

/**
 * What "ready" means, for every HTTP server of a process: the edge's, and the server's {@code ProbeVerticle} in a
 * process without an edge. Ready is: not draining, a member of its cluster (when clustered), and the event log
 * answers (when the process has one to check); {@link ProbeChecks} runs these checks, and Redis's, for both probes'
 * answers (docs/PROTOCOL.md, {@code GET /health}, {@code GET /ready}), which the server's {@code JoiningProbe} also
 * sends, without checks, while the node joins its cluster.
 */
public final class Readiness {

  private final ProbeChecks checks;
  private volatile boolean draining;

  /**
   * @param log the event log whose head is read, or {@code null} when the process has none to check (it runs
   *            neither an edge nor persistence)
   * @param nodeGate why the process as a whole is not ready (for instance, not a cluster member), or null when it is
   * @param redisUrl {@code SB_REDIS_URL} (its check is reported, never a reason to be unready), or null
   */
  public Readiness(Vertx vertx, EventLog log, Supplier<String> nodeGate, String redisUrl) {
    this.checks = new ProbeChecks(vertx, log, () -> draining, nodeGate, redisUrl);
  }

  /** From now on not ready: the edge drains, or stops. */
  public void drain() {
    draining = true;
  }

  /** {@code /ready}'s answer: 200 when ready, else 503 with the first reason; the checks in both. */
  public Future<ProbeAnswer> answer() {
    return checks.run().map(outcome -> (outcome.notReady() == null ? ProbeAnswer.READY
        : ProbeAnswer.error(ErrorCode.UNAVAILABLE, outcome.notReady())).withChecks(outcome.checks()));
  }

  /** {@code /health}'s answer: 200 while the process runs, whatever the checks say; the checks in the body. */
  public Future<ProbeAnswer> health() {
    return checks.run().map(outcome -> ProbeAnswer.HEALTHY.withChecks(outcome.checks()));
  }

  /**
   * An HTTP status and its JSON body: {@code {"status":...}} on success, the catalogue's
   * {@code {"error":{"code","message","retryable"}}} otherwise; with {@code "checks"} when they were run.
   */
  public record ProbeAnswer(int status, JsonObject body) {

    /** {@code /health}: the process runs (also while it drains or joins). */
    public static final ProbeAnswer HEALTHY = new ProbeAnswer(200, new JsonObject().put("status", "ok"));
    /** {@code /ready}: the process serves. */
    public static final ProbeAnswer READY = new ProbeAnswer(200, new JsonObject().put("status", "ready"));

    public static ProbeAnswer error(ErrorCode code, String message) {
      return new ProbeAnswer(code.httpStatus(), HttpErrors.body(code, message));
    }

    /** The same answer with each check's status. */
    public ProbeAnswer withChecks(JsonObject checks) {
      return new ProbeAnswer(status, body.copy().put("checks", checks));
    }

    @Override
    public JsonObject body() {
      return body.copy();
    }
  }
}
