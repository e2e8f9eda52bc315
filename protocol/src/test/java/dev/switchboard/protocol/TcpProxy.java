package dev.switchboard.protocol;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static dev.switchboard.protocol.Await.result;

/**
 * A TCP proxy in front of a real server, for outage tests: it forwards, cuts every connection (and refuses new ones),
 * or stalls them (a network that drops everything without closing anything), until restored. It can also refuse
 * WebSocket upgrades while plain HTTP passes (a proxy that does not speak WebSocket), and mute the server's replies
 * on the open connections while the client's bytes still reach it (an answer lost on the way back).
 *
 * <p>All its state lives on one Vert.x context; the test thread's calls run there and wait for it.
 */
public final class TcpProxy {

  private enum Mode { FORWARD, REFUSE, STALL }

  private final Context context;
  private final String targetHost;
  private int targetPort;
  private final Set<Link> links = new HashSet<>();
  private final List<NetSocket> silenced = new ArrayList<>();
  private final List<NetSocket> held = new ArrayList<>();
  private NetServer server;
  private NetClient client;
  private Mode mode = Mode.FORWARD;
  private boolean refuseUpgrades;
  private final AtomicLong fromTarget = new AtomicLong();

  private TcpProxy(Vertx vertx, String targetHost, int targetPort) {
    this.context = vertx.getOrCreateContext();
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  /** A proxy listening on a free loopback port, forwarding to {@code targetHost:targetPort}. */
  public static TcpProxy start(Vertx vertx, String targetHost, int targetPort) {
    TcpProxy proxy = new TcpProxy(vertx, targetHost, targetPort);
    proxy.call(() -> {
      proxy.client = vertx.createNetClient();
      proxy.server = vertx.createNetServer().connectHandler(proxy::accept);
      return proxy.server.listen(0, "127.0.0.1").mapEmpty();
    });
    return proxy;
  }

  public int port() {
    return server.actualPort();
  }

  /** Bytes the target has sent through the proxy so far, on every connection. */
  public long bytesFromTarget() {
    return fromTarget.get();
  }

  /** Closes every connection and refuses new ones, as a stopped server would. */
  public void cut() {
    call(() -> {
      mode = Mode.REFUSE;
      List.copyOf(links).forEach(Link::close);
      return Future.succeededFuture();
    });
  }

  /**
   * Answers every request that asks for a WebSocket upgrade with {@code 403} and closes its connection, as a proxy
   * that does not pass WebSockets would, while other requests pass; {@code false} lets upgrades through again.
   * Requests are recognised by their {@code Upgrade: websocket} header line in what the client sends.
   */
  public void refuseUpgrades(boolean refuse) {
    call(() -> {
      refuseUpgrades = refuse;
      return Future.succeededFuture();
    });
  }

  /** Sends new connections to another port from now on (a load balancer that moved off a dead backend). */
  public void forwardTo(int port) {
    call(() -> {
      targetPort = port;
      return Future.succeededFuture();
    });
  }

  /** Stops forwarding the server's bytes on the open connections; the client's still reach the server. */
  public void muteReplies() {
    call(() -> {
      links.forEach(link -> link.upstream.pause());
      return Future.succeededFuture();
    });
  }

  /**
   * The open connections go silent in both directions without closing (a tunnel, a NAT that forgot them); new
   * connections are forwarded as before.
   */
  public void silenceOpenConnections() {
    call(() -> {
      links.forEach(link -> {
        link.pause();
        silenced.add(link.downstream);
        silenced.add(link.upstream);
      });
      links.clear(); // neither end's close is passed on any more
      return Future.succeededFuture();
    });
  }

  /** Stops forwarding in both directions without closing anything; new connections are accepted and ignored. */
  public void stall() {
    call(() -> {
      mode = Mode.STALL;
      links.forEach(Link::pause);
      return Future.succeededFuture();
    });
  }

  /**
   * Forwards again: stalled connections carry on where they stopped, connections that arrived while stalled are
   * closed (their handshake never started), new ones are forwarded.
   */
  public void restore() {
    call(() -> {
      mode = Mode.FORWARD;
      links.forEach(Link::resume);
      held.forEach(NetSocket::close);
      held.clear();
      return Future.succeededFuture();
    });
  }

  public void close() {
    call(() -> {
      List.copyOf(links).forEach(Link::close);
      held.forEach(NetSocket::close);
      silenced.forEach(NetSocket::close);
      return Future.all(server.close(), client.close()).mapEmpty();
    });
  }

  private void accept(NetSocket downstream) {
    switch (mode) {
      case REFUSE -> downstream.close();
      case STALL -> {
        downstream.pause();
        held.add(downstream);
      }
      case FORWARD -> {
        downstream.pause();
        client.connect(targetPort, targetHost).onComplete(connected -> {
          if (connected.failed() || mode != Mode.FORWARD) {
            downstream.close();
            if (connected.succeeded()) {
              connected.result().close();
            }
            return;
          }
          Link link = new Link(downstream, connected.result());
          links.add(link);
          link.start();
        });
      }
    }
  }

  private void call(Supplier<Future<Void>> action) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(done));
    result(done.future());
  }

  private static boolean asksForUpgrade(String bytes) {
    return bytes.toLowerCase(java.util.Locale.ROOT).contains("\r\nupgrade: websocket");
  }

  /** One proxied connection: the client's socket and ours to the target. */
  private final class Link {

    private final NetSocket downstream;
    private final NetSocket upstream;

    Link(NetSocket downstream, NetSocket upstream) {
      this.downstream = downstream;
      this.upstream = upstream;
    }

    void start() {
      downstream.handler(bytes -> {
        if (refuseUpgrades && asksForUpgrade(bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1))) {
          downstream.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
              .onComplete(written -> close());
          return;
        }
        upstream.write(bytes);
      });
      upstream.handler(bytes -> {
        fromTarget.addAndGet(bytes.length());
        downstream.write(bytes);
      });
      downstream.closeHandler(v -> close());
      upstream.closeHandler(v -> close());
      downstream.resume();
    }

    void pause() {
      downstream.pause();
      upstream.pause();
    }

    void resume() {
      downstream.resume();
      upstream.resume();
    }

    void close() {
      if (links.remove(this)) {
        downstream.close();
        upstream.close();
      }
    }
  }
}
