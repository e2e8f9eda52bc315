package dev.switchboard.server;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A URL with a malformed percent-escape, anywhere, is answered 400 with the JSON error body (a WebSocket upgrade
 * too, before it happens), and nothing the node logs carries the token that the URL held.
 */
class MalformedUrlTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass(java.util.Map.of());

  private static final String TOKEN = TestTokens.user("alice", List.of("*"), List.of("*"));
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeEach
  void captureTheLog() {
    log.start();
    root().addAppender(log);
  }

  @AfterEach
  void stopCapturing() {
    root().detachAppender(log);
  }

  @Test
  void everyKindOfMalformedUrlIsABadRequestAndNoTokenReachesTheLog() throws Exception {
    HttpClient client = node.vertx.createHttpClient();
    List<String[]> requests = List.of(
        new String[] {"GET", "/sessions/s/events?after=%zz&access_token=" + TOKEN},
        new String[] {"GET", "/sessions/s/presence?limit=%&access_token=" + TOKEN},
        new String[] {"POST", "/sessions/s/events?x=%G1&access_token=" + TOKEN},
        new String[] {"GET", "/poll?sessionId=s&x=%G1&access_token=" + TOKEN},
        new String[] {"GET", "/events?sessionId=s&x=%zz&access_token=" + TOKEN},
        new String[] {"GET", "/app.js?x=%zz&access_token=" + TOKEN},
        new String[] {"GET", "/%zz?access_token=" + TOKEN},
        new String[] {"POST", "/dev/token?x=%zz&access_token=" + TOKEN});
    for (int round = 0; round < 3; round++) {
      for (String[] request : requests) {
        var answer = client.request(HttpMethod.valueOf(request[0]), node.port(), "127.0.0.1", request[1])
            .compose(r -> r.putHeader("Accept", "text/event-stream").send())
            .compose(r -> r.body().map(body -> new Object[] {r.statusCode(), r.getHeader("Content-Type"), body}))
            .await(10, TimeUnit.SECONDS);
        assertEquals(400, answer[0], request[0] + " " + request[1].split("\\?")[0]);
        assertEquals("bad_request", new JsonObject(answer[2].toString()).getJsonObject("error").getString("code"));
        SpecViolations.response(request[0], request[1], (int) answer[0], (String) answer[1], answer[2].toString());
      }
    }
    // A WebSocket upgrade is refused before the upgrade: Vert.x itself would log the whole URL while upgrading.
    int upgrade = client.request(HttpMethod.GET, node.port(), "127.0.0.1", "/events?sessionId=s&x=%zz&access_token="
            + TOKEN)
        .compose(r -> r.putHeader("Upgrade", "websocket").putHeader("Connection", "Upgrade")
            .putHeader("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").putHeader("Sec-WebSocket-Version", "13").send())
        .map(r -> r.statusCode()).await(10, TimeUnit.SECONDS);
    assertEquals(400, upgrade);
    String logged = String.join("\n", log.list.stream().map(e -> e.getFormattedMessage()
        + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()))).toList());
    assertTrue(!logged.contains(TOKEN), "a token reached the log:\n" + logged);
    long refusalLines = log.list.stream().filter(e -> e.getFormattedMessage().startsWith("refused a URL")).count();
    assertEquals(1, refusalLines, "25 bad URLs within 10 s log one line, not " + refusalLines);
  }

  private static ch.qos.logback.classic.Logger root() {
    return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
  }
}
