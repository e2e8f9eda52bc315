package dev.switchboard.realtime.control;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.CallerContext;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.realtime.canary.EdgeMembers;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A session's subscriber count across the cluster (docs/PROTOCOL.md, Control API): each node answers for its own
 * loops on {@code control.subscribers.<nodeId>}, and the node asked sums the answers of every edge member.
 */
public final class SubscriberCounts {

  /** How long a node may take to count; a node that does not answer in time fails the whole count. */
  static final long TIMEOUT_MS = 2000;

  private SubscriberCounts() {
  }

  /** Answers this node's count of a session (the body: its id) with {@code count}'s. */
  public static MessageConsumer<String> serve(Vertx vertx, String nodeId, Function<String, Future<Integer>> count) {
    return vertx.eventBus().consumer(Addresses.CONTROL_SUBSCRIBERS_PREFIX + nodeId,
        message -> count.apply(message.body()).onComplete(ar -> message.reply(ar.succeeded() ? ar.result()
            : ErrorCode.INTERNAL.exception("internal error"))));
  }

  /**
   * {@code {"sessionId","subscribers","nodes"}}: the sum over every edge of the cluster, completed on the caller's
   * context (the members' list comes from the cluster manager's).
   */
  static Future<JsonObject> clusterWide(Vertx vertx, EdgeMembers members, String sessionId) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(TIMEOUT_MS);
    Context caller = vertx.getOrCreateContext();
    return CallerContext.completeOn(caller, members.list()).compose(nodes -> {
      List<Future<Integer>> counts = new ArrayList<>();
      for (String node : nodes) {
        counts.add(vertx.eventBus().<Integer>request(Addresses.CONTROL_SUBSCRIBERS_PREFIX + node, sessionId, options)
            .map(reply -> reply.body()));
      }
      return Future.all(counts).map(all -> new JsonObject().put("sessionId", sessionId)
          .put("subscribers", counts.stream().mapToInt(Future::result).sum()).put("nodes", nodes.size()));
    });
  }
}
