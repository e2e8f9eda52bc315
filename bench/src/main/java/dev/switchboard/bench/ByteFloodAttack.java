package dev.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Byte floods: M WebSockets of one user, each writing {@code ping} frames of about 60 KB (a valid
 * {@code {"type":"ping"}} padded with JSON whitespace, under the 64 KiB frame limit) as fast as its socket takes them.
 * A socket the server closes is opened again after a short pause, so the flood goes on for the whole attack.
 */
final class ByteFloodAttack implements Attack {

  private static final long REOPEN_AFTER_MS = 250;
  private static final int FRAMES_PER_TURN = 4;

  private final Vertx vertx;
  private final NetClient client;
  private final BenchOptions options;
  private final String token;
  private final AttackLedger ledger;
  private final int count;
  private final Set<WireSocket> open = new HashSet<>();
  private Buffer frame;
  private boolean running;
  private long framesSent;

  ByteFloodAttack(Vertx vertx, NetClient client, BenchOptions options, String token, AttackLedger ledger, int count) {
    this.vertx = vertx;
    this.client = client;
    this.options = options;
    this.token = token;
    this.ledger = ledger;
    this.count = count;
  }

  @Override
  public Future<Void> arm() {
    int bytes = options.integer("flood-frame-bytes", 60_000);
    frame = WireSocket.textFrame("{\"type\":\"ping\"" + " ".repeat(Math.max(0, bytes - 16)) + "}");
    return Future.succeededFuture();
  }

  @Override
  public void start() {
    running = true;
    ledger.started();
    for (int i = 0; i < count; i++) {
      connect();
    }
  }

  private void connect() {
    if (!running) {
      return;
    }
    WireSocket.connect(client, options.host, options.port, "/events?access_token=" + token).onComplete(upgraded -> {
      if (upgraded.failed()) {
        ledger.refused(AttackLedger.refusal(upgraded.cause()));
        vertx.setTimer(REOPEN_AFTER_MS, t -> connect());
        return;
      }
      WireSocket ws = upgraded.result();
      if (!running) {
        ws.close();
        return;
      }
      ledger.opened();
      open.add(ws);
      ws.closeHandler(() -> {
        open.remove(ws);
        ledger.closed(running, AttackLedger.closeOf(ws));
        vertx.setTimer(REOPEN_AFTER_MS, t -> connect());
      });
      pump(ws);
    });
  }

  /**
   * Writes frames until the socket's queue is full, then waits for it to drain. At most a few frames per turn of the
   * event loop: a socket the server has closed still looks writable until the loop gets to its close event.
   */
  private void pump(WireSocket ws) {
    for (int i = 0; i < FRAMES_PER_TURN && running && !ws.isClosed() && !ws.writeQueueFull(); i++) {
      ws.sendFrame(frame);
      framesSent++;
    }
    if (!running || ws.isClosed()) {
      return;
    }
    if (ws.writeQueueFull()) {
      ws.drainHandler(() -> pump(ws));
    } else {
      vertx.runOnContext(v -> pump(ws));
    }
  }

  @Override
  public Future<Void> stop() {
    running = false;
    List.copyOf(open).forEach(WireSocket::close);
    return Attack.allClosed(vertx, ledger);
  }

  @Override
  public JsonObject figures() {
    return new JsonObject().put("framesSent", framesSent).put("frameBytes", frame.length())
        .put("mbSent", Stats.round(framesSent * (double) frame.length() / 1048576.0));
  }
}
