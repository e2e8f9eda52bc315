package dev.switchboard.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Labels stay bounded and say nothing about who is connected: after traffic on every transport, with a refused token
 * and a resume, no session id, user id, connection id, token or client address appears anywhere in the scrape.
 */
class MetricsPrivacyTest {

  private static final String SESSION = "privacy-session-4c1d";
  private static final String USER = "privacy-user-9e2b";
  private static final String TOKEN = TestTokens.user(USER, List.of("*"), List.of("*"));
  private static final String REFUSED = TestTokens.hs256("another-secret-of-at-least-thirty-two-bytes",
      TestTokens.claims("privacy-intruder-77aa", List.of("*"), List.of("*"), 600));

  @Test
  void noSessionUserConnectionTokenOrAddressIsInTheScrape() {
    try (TestNode node = TestNode.start()) {
      List<String> secrets = new ArrayList<>(List.of(SESSION, USER, TOKEN, REFUSED, "privacy-intruder-77aa",
          "127.0.0.1"));
      WsClient ws = node.connect("sessionId=" + SESSION, TOKEN);
      secrets.add(ws.next("connected").getString("connectionId"));
      SseClient sse = SseClient.open(node, "/events?sessionId=" + SESSION + "&fallbackFrom=websocket",
          Map.of("Authorization", "Bearer " + TOKEN));
      secrets.add(sse.next("connected").getString("connectionId"));
      node.publish(TOKEN, SESSION, new JsonObject().put("hello", "world"));
      ws.next("event");
      HttpResponse<Buffer> poll = node.get("/poll?sessionId=" + SESSION + "&fromEventId=0&fallbackFrom=sse", TOKEN);
      assertEquals(200, poll.statusCode());
      assertEquals(4001, node.connect("sessionId=" + SESSION, REFUSED).awaitClose());
      WsClient resumed = node.connect("sessionId=" + SESSION + "&fromEventId=0", TOKEN);
      resumed.next("replayed");
      ws.close();
      sse.close();
      resumed.close();

      for (String accept : new String[] {null, "application/openmetrics-text; version=1.0.0"}) {
        HttpResponse<Buffer> response = TestNode.send(accept == null ? node.http.get("/metrics")
            : node.http.get("/metrics").putHeader("Accept", accept), null);
        assertEquals(200, response.statusCode());
        String scrape = response.bodyAsString();
        for (String secret : secrets) {
          assertFalse(scrape.contains(secret), "the scrape contains '" + secret + "': "
              + scrape.lines().filter(line -> line.contains(secret)).findFirst().orElse(""));
        }
      }
    }
  }
}
