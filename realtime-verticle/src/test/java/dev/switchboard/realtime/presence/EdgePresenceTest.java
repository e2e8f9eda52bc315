package dev.switchboard.realtime.presence;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.Codecs;
import dev.switchboard.protocol.PresenceAction;
import dev.switchboard.protocol.PresenceHeartbeat;
import dev.switchboard.protocol.PresenceUpdate;
import dev.switchboard.protocol.PresenceUser;
import dev.switchboard.realtime.EdgeConfig;
import dev.switchboard.realtime.RoleClient;
import dev.switchboard.realtime.namespace.Namespaces;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.protocol.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

@ExtendWith(VertxExtension.class)
class EdgePresenceTest {

  private static final PresenceUser ADA = new PresenceUser("ada", "Ada", "presenter");
  private static final PresenceUser BOB = new PresenceUser("bob", "Bob", null);

  private final BlockingQueue<Object> sent = new LinkedBlockingQueue<>();
  private EdgePresence presence;
  private Context loop;

  @BeforeEach
  void setUp(Vertx vertx) {
    Codecs.register(vertx);
    result(vertx.eventBus().consumer(Addresses.PRESENCE_UPDATE, m -> sent.add(m.body())).completion());
    EdgeConfig config = EdgeConfig.from(new JsonObject().put("SB_NODE_ID", "node-t")
        .put("SB_POLL_PRESENCE_GRACE", "200ms"));
    presence = new EdgePresence(vertx, new RoleClient(vertx), config, Namespaces.from(new JsonObject(), 65536));
    loop = vertx.getOrCreateContext();
  }

  @Test
  void announcesEachConnectionOnceAndOnlyLeavesWhatJoined() {
    onLoop(() -> {
      presence.join("poll-1", "c1", ADA);
      presence.join("poll-1", "c1", ADA);
      presence.leave("poll-1", "c2");
      presence.leave("poll-1", "c1");
      presence.leave("poll-1", "c1");
      presence.join("poll-1", "c3", BOB);
    });

    assertEquals(update(PresenceAction.JOIN, "c1", ADA), next());
    assertEquals(update(PresenceAction.LEAVE, "c1", ADA), next());
    assertEquals(update(PresenceAction.JOIN, "c3", BOB), next());
  }

  @Test
  void heartbeatListsEveryConnectionOfTheNodeInOneMessage() {
    onLoop(() -> {
      presence.heartbeat();
      presence.join("poll-1", "c1", ADA);
      presence.join("poll-2", "c1", ADA);
      presence.join("poll-1", "c2", BOB);
      presence.leave("poll-2", "c1");
      presence.heartbeat();
    });
    for (int i = 0; i < 4; i++) {
      assertInstanceOf(PresenceUpdate.class, next(), "an empty node sends no heartbeat");
    }

    PresenceHeartbeat heartbeat = assertInstanceOf(PresenceHeartbeat.class, next());

    assertEquals("node-t", heartbeat.nodeId());
    assertEquals(Set.of(new PresenceHeartbeat.Entry("poll-1", "c1", ADA), new PresenceHeartbeat.Entry("poll-1", "c2",
        BOB)), Set.copyOf(heartbeat.connections()));
    assertEquals(2, heartbeat.connections().size());
  }

  @Test
  void aLongPollingUserStaysPresentBetweenPollsAndLeavesAfterTheGrace() {
    onLoop(() -> {
      presence.pollStarted("poll-1", ADA);
      presence.pollStarted("poll-1", ADA);
      presence.pollEnded("poll-1", "ada");
      presence.pollEnded("poll-1", "ada");
      presence.pollStarted("poll-1", ADA);
      presence.pollEnded("poll-1", "ada");
    });

    PresenceUpdate join = assertInstanceOf(PresenceUpdate.class, next());
    assertEquals(PresenceAction.JOIN, join.action());
    assertEquals(ADA, join.user());
    onLoop(presence::heartbeat);
    assertEquals(new PresenceHeartbeat("node-t", List.of(new PresenceHeartbeat.Entry("poll-1", join.connectionId(),
        ADA))), next(), "one presence connection stands for all of Ada's polls of the session");
    assertEquals(update(PresenceAction.LEAVE, join.connectionId(), ADA), next(),
        "the leave comes once the grace has passed after the last poll");
  }

  @Test
  void closeLeavesEverythingStillAnnounced() {
    onLoop(() -> {
      presence.join("poll-1", "c1", ADA);
      presence.pollStarted("poll-1", BOB);
      presence.close();
    });
    next();
    PresenceUpdate bobJoin = assertInstanceOf(PresenceUpdate.class, next());

    assertEquals(Set.of(update(PresenceAction.LEAVE, "c1", ADA),
        update(PresenceAction.LEAVE, bobJoin.connectionId(), BOB)), Set.of(next(), next()));
  }

  private static PresenceUpdate update(PresenceAction action, String connectionId, PresenceUser user) {
    return new PresenceUpdate(action, "poll-1", "node-t", connectionId, user);
  }

  private void onLoop(Runnable action) {
    Promise<Void> done = Promise.promise();
    loop.runOnContext(v -> {
      action.run();
      done.complete();
    });
    result(done.future());
  }

  private Object next() {
    try {
      Object body = sent.poll(30, TimeUnit.SECONDS);
      assertNotNull(body, "nothing sent within 30 s");
      return body;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
