package dev.switchboard.realtime.hub;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.Codecs;
import dev.switchboard.protocol.LiveBatch;
import dev.switchboard.protocol.PresenceDiff;
import dev.switchboard.protocol.ReplayResult;
import dev.switchboard.protocol.ResetReason;
import dev.switchboard.protocol.StoredEvent;
import dev.switchboard.realtime.metrics.EdgeMetrics;
import dev.switchboard.realtime.metrics.Transport;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.LongStream;

import static dev.switchboard.protocol.Await.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The feed's threading rules (docs/ARCHITECTURE.md, Threading): with hubs of one session on two loops, each event is
 * encoded once for both, reaches each subscriber in order on its own loop's thread, and presence frames likewise;
 * the shared wire buffer is released once both loops are done.
 */
class LiveFeedTest {

  private static final String SESSION = "feed-s";
  private Vertx vertx;
  private Context first;
  private Context second;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    Codecs.register(vertx);
    first = ((VertxInternal) vertx).createEventLoopContext();
    second = ((VertxInternal) vertx).createEventLoopContext();
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  void eachEventIsEncodedOnceAndDeliveredInOrderOnEveryLoopsOwnThread() {
    LiveFeed feed = on(first, () -> new LiveFeed(vertx));
    Recorder a = subscribeOn(first, feed);
    Recorder b = subscribeOn(second, feed);
    until(() -> a.placedOn != null && b.placedOn != null);
    assertNotEquals(a.placedOn, b.placedOn, "two loops, two threads");

    for (long seq = 1; seq <= 50; seq += 5) {
      List<StoredEvent> batch = new ArrayList<>();
      LongStream.range(seq, seq + 5).forEach(n -> batch.add(event(n)));
      vertx.eventBus().publish(Addresses.liveAddress(Addresses.shardOf(SESSION)), new LiveBatch(batch));
    }
    until(() -> a.events.size() == 50 && b.events.size() == 50);
    List<Long> all = LongStream.rangeClosed(1, 50).boxed().toList();
    assertEquals(all, a.events.stream().map(EncodedEvent::seq).toList());
    assertEquals(all, b.events.stream().map(EncodedEvent::seq).toList());
    for (int i = 0; i < 50; i++) {
      assertSame(a.events.get(i).frame(), b.events.get(i).frame(), "one encoding for both loops");
    }
    assertEquals(Set.of(a.placedOn), Set.copyOf(a.threads), "loop A's subscriber is only called on loop A");
    assertEquals(Set.of(b.placedOn), Set.copyOf(b.threads), "loop B's subscriber is only called on loop B");
    until(() -> a.wires.stream().allMatch(w -> w.refCnt() == 0) && b.wires.stream().allMatch(w -> w.refCnt() == 0));

    vertx.eventBus().publish(Addresses.PRESENCE_CHANGES, PresenceDiff.listing(SESSION, 2, List.of(), List.of()));
    until(() -> a.frames.size() == 1 && b.frames.size() == 1);
    assertSame(a.frames.get(0), b.frames.get(0), "a presence frame is encoded once too");
  }

  private Recorder subscribeOn(Context loop, LiveFeed feed) {
    Recorder recorder = new Recorder();
    on(loop, () -> {
      HubRegistry registry = new HubRegistry(vertx, feed, request -> Future.succeededFuture(
          new ReplayResult(List.of(), 0, null)), 100, new FlushBatch(), SubscriptionPresence.NONE, EdgeMetrics.none());
      registry.subscribe(SESSION, recorder, null).start();
      return registry;
    });
    return recorder;
  }

  private static <T> T on(Context context, Supplier<T> task) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> done.complete(task.get()));
    return done.future().await();
  }

  private static StoredEvent event(long seq) {
    return new StoredEvent(SESSION, seq, "t", 1000 + seq, "u", "{\"n\":" + seq + "}");
  }

  /** Records what a loop's subscriber got, and on which thread. */
  private static final class Recorder implements Subscriber {
    volatile String placedOn;
    final List<EncodedEvent> events = new CopyOnWriteArrayList<>();
    final List<ByteBuf> wires = new CopyOnWriteArrayList<>();
    final List<String> threads = Collections.synchronizedList(new ArrayList<>());
    final List<Buffer> frames = new CopyOnWriteArrayList<>();

    @Override
    public String connectionId() {
      return "c-" + System.identityHashCode(this);
    }

    @Override
    public Transport transport() {
      return Transport.WEBSOCKET;
    }

    @Override
    public void placed(Subscription subscription) {
      placedOn = Thread.currentThread().getName();
    }

    @Override
    public void sendEvent(Subscription subscription, EncodedEvent event) {
      threads.add(Thread.currentThread().getName());
      events.add(event);
      // A socket's write: a retained duplicate, released once written (here at once).
      ByteBuf write = event.wireFrameForOneWrite();
      wires.add(write.unwrap() == null ? write : write.unwrap());
      write.release();
    }

    @Override
    public void replayed(Subscription subscription, long lastEventId) {
    }

    @Override
    public void reset(Subscription subscription, ResetReason reason, long lastEventId) {
    }

    @Override
    public void sendFrame(Buffer frame) {
      threads.add(Thread.currentThread().getName());
      frames.add(frame);
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
