package dev.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Opens the generator's connections to one target and completes each once it is ready (subscribed), spreading them
 * over loopback source addresses 127.0.0.x so that no address pair runs short of ephemeral ports.
 */
final class Connector {

  private final Vertx vertx;
  private final BenchOptions options;
  private final Target target;
  private final int firstSource;
  private final List<NetClient> clients = new ArrayList<>();
  private int opened;

  Connector(Vertx vertx, BenchOptions options, Target target, int firstSource) {
    this.vertx = vertx;
    this.options = options;
    this.target = target;
    this.firstSource = firstSource;
  }

  Target target() {
    return target;
  }

  /** Opens one connection, subscribed to {@code room} (null: none), resuming after {@code from} when not negative. */
  Future<WireSocket> open(String room, long from, Target.Listener listener) {
    NetClient client = nextClient();
    Promise<WireSocket> ready = Promise.promise();
    long timer = vertx.setTimer(30_000, t -> ready.tryFail("not ready after 30 s"));
    return WireSocket.connect(client, options.host, options.port, target.path(room, from))
        .compose(ws -> {
          target.attach(ws, room, new Target.Listener() {
            @Override
            public void onReady() {
              vertx.cancelTimer(timer);
              if (!ready.tryComplete(ws)) {
                listener.onReady();
              }
            }

            @Override
            public void onEvent(long sentNanos, long sequence, int bytes) {
              listener.onEvent(sentNanos, sequence, bytes);
            }

            @Override
            public void onReplayed() {
              listener.onReplayed();
            }

            @Override
            public void onAck(long requestId, long eventId) {
              listener.onAck(requestId, eventId);
            }
          });
          ws.closeHandler(() -> ready.tryFail("closed before ready (code " + ws.closeCode() + ")"));
          return ready.future();
        });
  }

  private synchronized NetClient nextClient() {
    int source = opened++ / options.perSource;
    while (clients.size() <= source) {
      clients.add(vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000).setTcpNoDelay(true)
          .setLocalAddress("127.0.0." + (firstSource + clients.size()))));
    }
    return clients.get(source);
  }

  /**
   * Opens {@code count} connections, at most {@code window} handshakes at a time, and completes with them all in
   * order once every one is ready; fails on the first that does not get there.
   */
  Future<List<WireSocket>> openMany(int count, int window, IntFunction<String> room,
                                    IntFunction<Target.Listener> listener) {
    return openMany(count, window, room, listener, 1);
  }

  /**
   * The same, each connection tried up to {@code attempts} times (after 0.5 s, 1 s, ... between them: a node busy
   * with thousands of handshakes answers some too late); fails on the first that never gets there.
   */
  Future<List<WireSocket>> openMany(int count, int window, IntFunction<String> room,
                                    IntFunction<Target.Listener> listener, int attempts) {
    Promise<List<WireSocket>> all = Promise.promise();
    WireSocket[] sockets = new WireSocket[count];
    int[] next = {0};
    int[] done = {0};
    Runnable[] launch = new Runnable[1];
    launch[0] = () -> {
      int i = next[0]++;
      if (i < count) {
        openTrying(room.apply(i), listener.apply(i), attempts, 1).onComplete(result -> {
          if (result.failed()) {
            all.tryFail(result.cause());
            return;
          }
          sockets[i] = result.result();
          if (++done[0] == count) {
            all.tryComplete(List.of(sockets));
          } else {
            launch[0].run();
          }
        });
      }
    };
    vertx.runOnContext(v -> {
      if (count == 0) {
        all.complete(List.of());
      }
      for (int w = 0; w < Math.min(window, count); w++) {
        launch[0].run();
      }
    });
    return all.future();
  }

  private Future<WireSocket> openTrying(String room, Target.Listener listener, int attempts, int attempt) {
    Future<WireSocket> opened = open(room, -1, listener);
    if (attempt >= attempts) {
      return opened;
    }
    return opened.recover(failure -> {
      Promise<Void> pause = Promise.promise();
      vertx.setTimer(500L * attempt, t -> pause.complete());
      return pause.future().compose(v -> openTrying(room, listener, attempts, attempt + 1));
    });
  }

  synchronized void close() {
    clients.forEach(NetClient::close);
  }
}
