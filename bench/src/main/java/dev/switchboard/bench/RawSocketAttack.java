package dev.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Attacks made of plain TCP connections that each send one fixed head and then, for some, one more byte every
 * second: half-open headers (slowloris), silent sockets, slow request bodies and held long polls. A socket the
 * server closes while the attack runs is replaced a second later, as a real attacker keeps its count up.
 */
final class RawSocketAttack implements Attack {

  /** Connections being set up at once while the attack opens its sockets. */
  private static final int CONNECT_WINDOW = 200;
  private static final long REPLACE_AFTER_MS = 1000;
  /** Under {@code SB_MAX_FRAME_BYTES} (64 KiB), so that the body is not refused for its announced size alone. */
  private static final int SLOW_BODY_BYTES = 65_000;

  private final Vertx vertx;
  private final NetClient client;
  private final BenchOptions options;
  private final AttackLedger ledger;
  private final int count;
  private final String head;
  private final Buffer trickle;
  private final Set<Slot> open = new HashSet<>();
  private boolean running;
  private int launched;
  private long trickleTimer = -1;

  private RawSocketAttack(Vertx vertx, NetClient client, BenchOptions options, AttackLedger ledger, int count,
                          String head, String trickle) {
    this.vertx = vertx;
    this.client = client;
    this.options = options;
    this.ledger = ledger;
    this.count = count;
    this.head = head;
    this.trickle = trickle == null ? null : Buffer.buffer(trickle);
  }

  /** A request line and headers that never end: one more byte of a header value every second. */
  static RawSocketAttack halfOpenHeaders(Vertx vertx, NetClient client, BenchOptions options, AttackLedger ledger,
                                         int count) {
    return new RawSocketAttack(vertx, client, options, ledger, count,
        "GET /events HTTP/1.1\r\nHost: " + options.host + ":" + options.port + "\r\nX-Slow: ", "a");
  }

  /** Connections that send nothing at all. */
  static RawSocketAttack silent(Vertx vertx, NetClient client, BenchOptions options, AttackLedger ledger, int count) {
    return new RawSocketAttack(vertx, client, options, ledger, count, "", null);
  }

  /** A publish whose announced body of 65,000 bytes comes one byte a second (JSON whitespace). */
  static RawSocketAttack slowBody(Vertx vertx, NetClient client, BenchOptions options, String token,
                                  AttackLedger ledger, int count) {
    return new RawSocketAttack(vertx, client, options, ledger, count,
        "POST /sessions/abuse-slow/events HTTP/1.1\r\nHost: " + options.host + ":" + options.port
            + "\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/json\r\nContent-Length: "
            + SLOW_BODY_BYTES + "\r\n\r\n", " ");
  }

  /** Long polls of a quiet session, each waiting the longest the node allows (60 s), one per connection. */
  static RawSocketAttack longPolls(Vertx vertx, NetClient client, BenchOptions options, String token,
                                   AttackLedger ledger, int count) {
    return new RawSocketAttack(vertx, client, options, ledger, count,
        "GET /poll?sessionId=abuse-poll&timeoutMs=60000 HTTP/1.1\r\nHost: " + options.host + ":" + options.port
            + "\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\n\r\n", null);
  }

  @Override
  public void start() {
    running = true;
    ledger.started();
    for (int i = 0; i < Math.min(CONNECT_WINDOW, count); i++) {
      connectNext();
    }
    if (trickle != null) {
      trickleTimer = vertx.setPeriodic(1000, t -> open.forEach(slot -> slot.socket.write(trickle)));
    }
  }

  private void connectNext() {
    if (running && launched < count) {
      launched++;
      connect().onComplete(v -> connectNext());
    }
  }

  private Future<Void> connect() {
    return client.connect(options.port, options.host).transform(connected -> {
      if (connected.failed()) {
        ledger.refused("connect failed: " + connected.cause().getClass().getSimpleName());
        replaceLater();
      } else if (running) {
        attach(new Slot(connected.result()));
      } else {
        connected.result().close();
      }
      return Future.succeededFuture();
    });
  }

  private void attach(Slot slot) {
    ledger.opened();
    open.add(slot);
    slot.socket.handler(slot::read);
    slot.socket.exceptionHandler(e -> slot.failure = "reset");
    slot.socket.closeHandler(v -> {
      open.remove(slot);
      ledger.closed(running, slot.answer != null ? slot.answer : slot.failure != null ? slot.failure : "eof");
      replaceLater();
    });
    if (!head.isEmpty()) {
      slot.socket.write(head);
    }
  }

  private void replaceLater() {
    if (running) {
      vertx.setTimer(REPLACE_AFTER_MS, t -> {
        if (running) {
          connect();
        }
      });
    }
  }

  @Override
  public Future<Void> stop() {
    running = false;
    vertx.cancelTimer(trickleTimer);
    List.copyOf(open).forEach(slot -> slot.socket.close());
    return Attack.allClosed(vertx, ledger);
  }

  /** One connection and the first answer the server wrote on it. */
  private final class Slot {
    final NetSocket socket;
    String answer;
    String failure;

    Slot(NetSocket socket) {
      this.socket = socket;
    }

    void read(Buffer data) {
      if (answer == null && data.length() >= 12 && data.getString(0, 7).equals("HTTP/1.")) {
        answer = "http " + data.getString(9, 12);
        ledger.answer(answer);
      }
    }
  }
}
