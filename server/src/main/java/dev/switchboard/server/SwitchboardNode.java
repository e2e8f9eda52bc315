package dev.switchboard.server;

import dev.switchboard.protocol.Codecs;
import dev.switchboard.realtime.EdgeVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One running Switchboard process: its roles deployed on one Vert.x instance, in dependency order.
 */
public final class SwitchboardNode {

  private static final Logger LOG = LoggerFactory.getLogger(SwitchboardNode.class);

  private final Vertx vertx;
  private final List<String> deployments = new ArrayList<>();
  private EdgeVerticle edge;

  private SwitchboardNode(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Deploys the settings' roles on {@code vertx}; fails (undeploying what started) if any role fails. */
  public static Future<SwitchboardNode> start(Vertx vertx, NodeSettings settings) {
    Codecs.register(vertx);
    SwitchboardNode node = new SwitchboardNode(vertx);
    Future<Void> chain = Future.succeededFuture();
    for (Role role : Role.values()) {
      if (settings.roles().contains(role)) {
        chain = chain.compose(v -> node.deploy(role, settings));
      }
    }
    return chain.map(node).recover(failure -> node.stop().transform(ignored -> Future.failedFuture(failure)));
  }

  private Future<Void> deploy(Role role, NodeSettings settings) {
    Deployable verticle = role.newVerticle();
    if (verticle instanceof EdgeVerticle edgeVerticle) {
      edge = edgeVerticle;
    }
    return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(settings.config().copy()))
        .onSuccess(id -> {
          deployments.add(id);
          LOG.debug("role {} deployed", role);
        })
        .mapEmpty();
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The edge's HTTP port, or -1 when this node runs no edge. */
  public int httpPort() {
    return edge == null ? -1 : edge.actualPort();
  }

  /** Undeploys the roles in reverse order: the edge first, persistence last, so in-flight appends finish. */
  public Future<Void> stop() {
    List<String> reversed = new ArrayList<>(deployments);
    Collections.reverse(reversed);
    deployments.clear();
    Future<Void> chain = Future.succeededFuture();
    for (String id : reversed) {
      chain = chain.compose(v -> vertx.undeploy(id).recover(e -> Future.succeededFuture()));
    }
    return chain;
  }
}
