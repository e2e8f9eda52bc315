package dev.switchboard.realtime.positions;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.Codecs;
import dev.switchboard.protocol.DeliveredUpdate;
import dev.switchboard.protocol.LiveBatch;
import dev.switchboard.protocol.PresenceUser;
import dev.switchboard.protocol.ReplayResult;
import dev.switchboard.protocol.ResetReason;
import dev.switchboard.protocol.StoredEvent;
import dev.switchboard.realtime.hub.EncodedEvent;
import dev.switchboard.realtime.hub.FlushBatch;
import dev.switchboard.realtime.hub.HubRegistry;
import dev.switchboard.realtime.hub.LiveFeed;
import dev.switchboard.realtime.hub.Subscriber;
import dev.switchboard.realtime.hub.Subscription;
import dev.switchboard.realtime.metrics.EdgeMetrics;
import dev.switchboard.realtime.metrics.Transport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Delivered positions cost one update per interval, whatever was delivered: real hubs deliver live events to
 * subscriptions of two users, and each flush sends one update with each (user, session)'s highest eventId.
 */
class DeliveredPositionsTest {

  private Vertx vertx;
  private Context loop;
  private final List<DeliveredUpdate> updates = new ArrayList<>();
  private boolean storeFails;
  private DeliveredPositions delivered;
  private HubRegistry hubs;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    Codecs.register(vertx);
    loop = vertx.getOrCreateContext();
    onLoop(() -> {
      // An interval no test waits for: each flush is the test's.
      delivered = new DeliveredPositions(vertx, update -> {
        updates.add(update);
        return storeFails ? Future.failedFuture("store down") : Future.succeededFuture();
      }, 3_600_000);
      hubs = new HubRegistry(vertx, new LiveFeed(vertx),
          request -> Future.succeededFuture(new ReplayResult(List.of(), 0, null)), 100, new FlushBatch(), delivered,
          EdgeMetrics.none());
      return null;
    });
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  void manyDeliveriesAreOneUpdateWithEachUsersHighestEventId() {
    List<Subscription> subscriptions = List.of(subscribe("ada", "a1"), subscribe("ada", "a2"), subscribe("bob", "b1"));
    live(1, 50);
    awaitDelivered(subscriptions, 50);

    onLoop(() -> {
      delivered.flush();
      return null;
    });
    assertEquals(1, updates.size(), "one update for 50 events to 3 connections of 2 users");
    assertEquals(List.of(position("ada", 50), position("bob", 50)), sorted(updates.get(0)));

    onLoop(() -> {
      delivered.flush();
      return null;
    });
    assertEquals(1, updates.size(), "nothing delivered since: nothing written");
  }

  @Test
  void aSubscriptionThatLeftAndAFailedUpdateAreNotLost() {
    Subscription bob = subscribe("bob", "b1");
    live(1, 3);
    awaitDelivered(List.of(bob), 3);
    storeFails = true;
    onLoop(() -> {
      bob.cancel();
      delivered.flush();
      return null;
    });
    storeFails = false;
    onLoop(() -> {
      delivered.flush();
      return null;
    });
    assertEquals(2, updates.size());
    assertEquals(List.of(position("bob", 3)), sorted(updates.get(1)), "sent again after the failure");
  }

  @Test
  void whereASubscriptionStartedIsNotDelivered() {
    subscribe("ada", "a1");
    onLoop(() -> {
      delivered.flush();
      return null;
    });
    assertEquals(List.of(), updates);
  }

  private Subscription subscribe(String userId, String connectionId) {
    Subscription subscription = onLoop(() -> {
      Subscription s = hubs.subscribe("room", new UserSubscriber(userId, connectionId), null);
      s.start();
      return s;
    });
    awaitOnLoop(subscription::isLive, "placed");
    return subscription;
  }

  private void live(long from, long to) {
    List<StoredEvent> events = LongStream.rangeClosed(from, to)
        .mapToObj(seq -> new StoredEvent("room", seq, "t", 0, "x", "{}")).toList();
    onLoop(() -> {
      vertx.eventBus().publish(Addresses.liveAddress(Addresses.shardOf("room")), new LiveBatch(events));
      return null;
    });
  }

  private void awaitDelivered(List<Subscription> subscriptions, long eventId) {
    awaitOnLoop(() -> subscriptions.stream().allMatch(s -> s.position() == eventId), "delivered " + eventId);
  }

  private void awaitOnLoop(Supplier<Boolean> condition, String what) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!onLoop(condition)) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("not " + what);
      }
      Thread.onSpinWait();
    }
  }

  private <T> T onLoop(Supplier<T> task) {
    CompletableFuture<T> done = new CompletableFuture<>();
    loop.runOnContext(v -> {
      try {
        done.complete(task.get());
      } catch (RuntimeException | AssertionError e) {
        done.completeExceptionally(e);
      }
    });
    try {
      return done.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static DeliveredUpdate.Position position(String userId, long eventId) {
    return new DeliveredUpdate.Position(userId, "room", eventId);
  }

  private static List<DeliveredUpdate.Position> sorted(DeliveredUpdate update) {
    return update.positions().stream().sorted(Comparator.comparing(DeliveredUpdate.Position::userId)).toList();
  }

  /** A connection of one user that takes every event. */
  private record UserSubscriber(String userId, String connectionId) implements Subscriber {

    @Override
    public Transport transport() {
      return Transport.WEBSOCKET;
    }

    @Override
    public PresenceUser presenceUser() {
      return new PresenceUser(userId, null, null);
    }

    @Override
    public void placed(Subscription subscription) {
    }

    @Override
    public void sendEvent(Subscription subscription, EncodedEvent event) {
    }

    @Override
    public void replayed(Subscription subscription, long lastEventId) {
    }

    @Override
    public void reset(Subscription subscription, ResetReason reason, long lastEventId) {
    }

    @Override
    public void sendFrame(Buffer frame) {
    }

    @Override
    public void failed(Subscription subscription, Throwable cause) {
    }

    @Override
    public boolean isFinished() {
      return false;
    }
  }
}
