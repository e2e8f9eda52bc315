package dev.switchboard.server.cluster;

import dev.switchboard.testsupport.NodeProcess;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.switchboard.server.cluster.ClusterHarness.until;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The control API across a cluster (docs/PROTOCOL.md, Control API): an order given to one node reaches the user's
 * connections on every node, a token revoked through one node is refused by every node, and a session's subscribers
 * are counted over every edge.
 */
final class ControlScenario {

  private final Vertx vertx;
  private final WebClient http;
  private final List<NodeProcess> nodes;
  private final String apiKey;
  private final WebSocketClient webSockets;

  ControlScenario(Vertx vertx, WebClient http, List<NodeProcess> nodes, String apiKey) {
    this.vertx = vertx;
    this.http = http;
    this.nodes = nodes;
    this.apiKey = apiKey;
    this.webSockets = vertx.createWebSocketClient();
  }

  /** A user connected to every node is disconnected everywhere by one order to one node, and counted before. */
  void disconnectEverywhere() throws Exception {
    String token = ClusterHarness.devToken(http, nodes.get(0).httpPort(), "zed");
    List<Socket> sockets = connectToEveryNode("ctl-zed", token);
    until(() -> subscribers(nodes.get(1), "ctl-zed") == nodes.size(), "every node counts its subscriber");
    HttpResponse<Buffer> ordered = withKey(http.post(nodes.get(1).httpPort(), "127.0.0.1",
        "/admin/users/zed/disconnect"), new JsonObject().put("reconnect", false));
    assertEquals(202, ordered.statusCode(), ordered.bodyAsString());
    for (Socket socket : sockets) {
      assertEquals((short) 4010, socket.closed.get(15, TimeUnit.SECONDS), "closed on " + socket.node.name());
    }
    until(() -> subscribers(nodes.get(2), "ctl-zed") == 0, "no subscriber is left");
  }

  /** A token revoked through one node is refused by every node, and its connections end everywhere. */
  void revokeEverywhere() throws Exception {
    String token = ClusterHarness.devToken(http, nodes.get(0).httpPort(), "yan");
    List<Socket> sockets = connectToEveryNode("ctl-yan", token);
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1])));
    HttpResponse<Buffer> revoked = withKey(http.post(nodes.get(2).httpPort(), "127.0.0.1", "/admin/tokens/revoke"),
        new JsonObject().put("jti", claims.getString("jti")).put("exp", claims.getLong("exp")));
    assertEquals(204, revoked.statusCode(), revoked.bodyAsString());
    for (Socket socket : sockets) {
      assertEquals((short) 4001, socket.closed.get(15, TimeUnit.SECONDS), "closed on " + socket.node.name());
    }
    for (NodeProcess node : nodes) {
      HttpResponse<Buffer> refused = http.get(node.httpPort(), "127.0.0.1", "/sessions/ctl-yan/events")
          .bearerTokenAuthentication(token).send().await(10, TimeUnit.SECONDS);
      assertEquals(401, refused.statusCode(), "refused by " + node.name());
      assertEquals("token revoked", refused.bodyAsJsonObject().getJsonObject("error").getString("message"));
    }
  }

  private List<Socket> connectToEveryNode(String session, String token) throws Exception {
    List<Socket> sockets = new ArrayList<>();
    for (NodeProcess node : nodes) {
      sockets.add(connect(node, session, token));
    }
    for (Socket socket : sockets) {
      socket.connected.get(15, TimeUnit.SECONDS);
    }
    return sockets;
  }

  private Socket connect(NodeProcess node, String session, String token) {
    Socket socket = new Socket(node);
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.httpPort())
        .setURI("/events?sessionId=" + session).addHeader("Authorization", "Bearer " + token);
    webSockets.connect(options).onSuccess(ws -> {
      ws.textMessageHandler(text -> {
        SpecCheckedWire.INSTANCE.webSocketFrame(text);
        if ("connected".equals(new JsonObject(text).getString("type"))) {
          socket.connected.complete(null);
        }
      });
      ws.closeHandler(v -> socket.closed.complete(ws.closeStatusCode()));
    }).onFailure(socket.connected::completeExceptionally);
    return socket;
  }

  private int subscribers(NodeProcess node, String session) {
    HttpResponse<Buffer> answer = withKey(http.get(node.httpPort(), "127.0.0.1",
        "/admin/sessions/" + session + "/subscribers"), null);
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    assertEquals(nodes.size(), answer.bodyAsJsonObject().getInteger("nodes"), "every edge answered");
    return answer.bodyAsJsonObject().getInteger("subscribers");
  }

  private HttpResponse<Buffer> withKey(HttpRequest<Buffer> request, JsonObject body) {
    request.putHeader("X-Api-Key", apiKey);
    HttpResponse<Buffer> answer;
    try {
      answer = (body == null ? request.send() : request.sendJsonObject(body)).await(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within 10 s", e);
    }
    SpecCheckedWire.INSTANCE.httpAnswer(request, answer);
    return answer;
  }

  /** One WebSocket of the scenario: when it got {@code connected}, and its close code. */
  private static final class Socket {
    final NodeProcess node;
    final CompletableFuture<Void> connected = new CompletableFuture<>();
    final CompletableFuture<Short> closed = new CompletableFuture<>();

    Socket(NodeProcess node) {
      this.node = node;
    }
  }
}
