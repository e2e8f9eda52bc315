package dev.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.ext.web.client.WebClient;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A presence storm: K users, each with a token of its own and one WebSocket, join one session (a {@code subscribe}
 * frame once {@code connected} arrives), stay 0.5-1.5 s, leave (close), and come back after up to 0.5 s, for as long
 * as the attack runs; the honest subscribers watch another session. Every join and leave is a presence frame to
 * every member, so the node's work grows with the square of the crowd; the attacker reads what it is sent.
 */
final class PresenceStormAttack implements Attack {

  static final String SESSION = "abuse-presence";
  private static final byte[] CONNECTED = "{\"type\":\"connected\"".getBytes();
  private static final String SUBSCRIBE = "{\"type\":\"subscribe\",\"sessionId\":\"" + SESSION + "\"}";
  private static final int MINTING_WINDOW = 32;
  private static final long PAUSE_AFTER_REFUSAL_MS = 1000;

  private final Vertx vertx;
  private final NetClient client;
  private final BenchOptions options;
  private final AttackLedger ledger;
  private final String[] tokens;
  private final Set<WireSocket> open = new HashSet<>();
  private boolean running;
  private long joins;
  private long leaves;

  PresenceStormAttack(Vertx vertx, NetClient client, BenchOptions options, AttackLedger ledger, int users) {
    this.vertx = vertx;
    this.client = client;
    this.options = options;
    this.ledger = ledger;
    this.tokens = new String[users];
  }

  /** Mints one token per user with {@code POST /dev/token}, {@value #MINTING_WINDOW} at a time. */
  @Override
  public Future<Void> arm() {
    WebClient web = WebClient.create(vertx);
    Promise<Void> armed = Promise.promise();
    int[] next = {0};
    int[] done = {0};
    Runnable[] mintNext = new Runnable[1];
    mintNext[0] = () -> {
      int user = next[0]++;
      if (user >= tokens.length) {
        return;
      }
      DevTokens.mint(web, options, "storm-" + user, new JsonArray().add(SESSION), new JsonArray())
          .onComplete(minted -> {
            if (minted.failed()) {
              armed.tryFail(minted.cause());
              return;
            }
            tokens[user] = minted.result();
            if (++done[0] == tokens.length) {
              web.close();
              armed.tryComplete();
            } else {
              mintNext[0].run();
            }
          });
    };
    for (int i = 0; i < MINTING_WINDOW; i++) {
      mintNext[0].run();
    }
    return armed.future();
  }

  @Override
  public void start() {
    running = true;
    ledger.started();
    for (int user = 0; user < tokens.length; user++) {
      later(user, ThreadLocalRandom.current().nextLong(1, 1000));
    }
  }

  private void later(int user, long ms) {
    if (running) {
      vertx.setTimer(Math.max(1, ms), t -> join(user));
    }
  }

  private void join(int user) {
    if (!running) {
      return;
    }
    WireSocket.connect(client, options.host, options.port, "/events?access_token=" + tokens[user])
        .onComplete(upgraded -> {
          if (upgraded.failed()) {
            ledger.refused(AttackLedger.refusal(upgraded.cause()));
            later(user, PAUSE_AFTER_REFUSAL_MS);
            return;
          }
          WireSocket ws = upgraded.result();
          if (!running) {
            ws.close();
            return;
          }
          ledger.opened();
          open.add(ws);
          boolean[] leaving = {false};
          ws.textHandler((data, from, to) -> {
            boolean connected = to - from > CONNECTED.length
                && WireSocket.indexOf(data, from, from + CONNECTED.length, CONNECTED) == from;
            if (connected) {
              ws.sendText(SUBSCRIBE);
              joins++;
              vertx.setTimer(ThreadLocalRandom.current().nextLong(500, 1500), t -> {
                if (!ws.isClosed()) {
                  leaving[0] = true;
                  leaves++;
                  ws.close();
                }
              });
            }
          });
          ws.closeHandler(() -> {
            open.remove(ws);
            boolean byServer = running && !leaving[0];
            ledger.closed(byServer, AttackLedger.closeOf(ws));
            later(user, byServer ? PAUSE_AFTER_REFUSAL_MS : ThreadLocalRandom.current().nextLong(1, 500));
          });
        });
  }

  @Override
  public Future<Void> stop() {
    running = false;
    List.copyOf(open).forEach(WireSocket::close);
    return Attack.allClosed(vertx, ledger);
  }

  @Override
  public JsonObject figures() {
    return new JsonObject().put("users", tokens.length).put("joins", joins).put("leaves", leaves);
  }
}
