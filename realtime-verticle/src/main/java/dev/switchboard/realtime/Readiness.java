package dev.switchboard.realtime;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.realtime.http.HttpErrors;
import dev.switchboard.realtime.hub.EventLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.function.Supplier;

/**
 * What "ready" means, for every HTTP server of a process: the edge's, and the server's {@code ProbeVerticle} in a
 * process without an edge. Ready is: not draining, a member of its cluster (when clustered), and the event log
 * answers (when the process has one to check). Also the probe answers' bodies, which the server's
 * {@code JoiningProbe} sends too while the node joins its cluster (docs/PROTOCOL.md, {@code GET /health},
 * {@code GET /ready}).
 */
public final class Readiness {

  /** A session id that is valid but never published to: reading its head touches the store cheaply. */
  private static final String PROBE_SESSION = "_ready";
  private static final String DRAINING = "draining";
  private static final String STORE_UNREACHABLE = "the event store is not reachable";

  private final EventLog log;
  private final Supplier<String> nodeGate;
  private volatile boolean draining;

  /**
   * @param log the event log whose head is read, or {@code null} when the process has none to check (it runs
   *            neither an edge nor persistence)
   * @param nodeGate why the process as a whole is not ready (for instance, not a cluster member), or null when it is
   */
  public Readiness(EventLog log, Supplier<String> nodeGate) {
    this.log = log;
    this.nodeGate = nodeGate;
  }

  /** From now on not ready: the edge drains, or stops. */
  public void drain() {
    draining = true;
  }

  /** Succeeds when ready; fails with the reason {@code /ready} gives otherwise. */
  public Future<Void> check() {
    if (draining) {
      return Future.failedFuture(DRAINING);
    }
    String notReady = nodeGate.get();
    if (notReady != null) {
      return Future.failedFuture(notReady);
    }
    if (log == null) {
      return Future.succeededFuture();
    }
    return log.replay(ReplayRequest.head(PROBE_SESSION))
        .<Void>mapEmpty()
        .recover(failure -> Future.failedFuture(STORE_UNREACHABLE));
  }

  /** {@code /ready}'s answer once {@link #check()} has completed. */
  public Future<ProbeAnswer> answer() {
    return check().transform(ar -> Future.succeededFuture(ar.succeeded() ? ProbeAnswer.READY
        : ProbeAnswer.error(ErrorCode.UNAVAILABLE, ar.cause().getMessage())));
  }

  /**
   * An HTTP status and its JSON body: {@code {"status":...}} on success, the catalogue's
   * {@code {"error":{"code","message","retryable"}}} otherwise.
   */
  public record ProbeAnswer(int status, JsonObject body) {

    /** {@code /health}: the process runs (also while it drains or joins). */
    public static final ProbeAnswer HEALTHY = new ProbeAnswer(200, new JsonObject().put("status", "ok"));
    /** {@code /ready}: the process serves. */
    public static final ProbeAnswer READY = new ProbeAnswer(200, new JsonObject().put("status", "ready"));

    public static ProbeAnswer error(ErrorCode code, String message) {
      return new ProbeAnswer(code.httpStatus(), HttpErrors.body(code, message));
    }

    @Override
    public JsonObject body() {
      return body.copy();
    }
  }
}
