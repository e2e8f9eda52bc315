package dev.switchboard.testsupport;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reads a session's whole stored history over REST, a page after another. */
public final class SessionHistory {

  private final WebClient http;
  private final String token;
  private final WireObserver wire;
  private final Duration pageTimeout;

  /** @param wire sees every page's answer */
  public SessionHistory(WebClient http, String token, WireObserver wire, Duration pageTimeout) {
    this.http = http;
    this.token = token;
    this.wire = wire;
    this.pageTimeout = pageTimeout;
  }

  public List<JsonObject> read(int port, String sessionId) throws Exception {
    List<JsonObject> events = new ArrayList<>();
    long after = 0;
    while (true) {
      var request = http.get(port, "127.0.0.1", "/sessions/" + sessionId + "/events?limit=1000&after=" + after)
          .bearerTokenAuthentication(token);
      var response = request.send().await(pageTimeout.toMillis(), TimeUnit.MILLISECONDS);
      wire.httpAnswer(request, response);
      JsonArray page = response.bodyAsJsonObject().getJsonArray("events");
      if (page.isEmpty()) {
        return events;
      }
      page.forEach(event -> events.add((JsonObject) event));
      after = Long.parseLong(events.get(events.size() - 1).getString("eventId"));
    }
  }
}
