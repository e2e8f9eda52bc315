package dev.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

/**
 * Tokens from the node's {@code POST /dev/token} (docs/PROTOCOL.md): the benchmarks run the node with
 * {@code SB_DEV_TOKENS=true}, so they need no copy of its secret.
 */
final class DevTokens {

  private DevTokens() {
  }

  /** A token for user {@code sub} that may read {@code sessions} and publish to {@code publish} (patterns). */
  static Future<String> mint(WebClient client, BenchOptions options, String sub, JsonArray sessions,
                             JsonArray publish) {
    return client.post(options.port, options.host, "/dev/token")
        .sendJsonObject(new JsonObject().put("sub", sub).put("sessions", sessions).put("publish", publish)
            .put("ttlSec", 3600))
        .map(answer -> {
          if (answer.statusCode() != 200) {
            throw new IllegalStateException("POST /dev/token answered " + answer.statusCode() + ": "
                + answer.bodyAsString());
          }
          return answer.bodyAsJsonObject().getString("token");
        });
  }
}
