package dev.switchboard.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.WebClient;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Options every benchmark shares, and the token it connects with. */
final class BenchOptions {

  final Map<String, String> raw;
  final String host;
  final int port;
  final int seconds;
  final int warmup;
  final long serverPid;
  /** Connections per loopback source address before the next one (127.0.0.x) is used. */
  final int perSource;
  private String token;

  BenchOptions(Map<String, String> raw) {
    this.raw = raw;
    this.host = raw.getOrDefault("host", "127.0.0.1");
    this.port = integer("port", 8080);
    this.seconds = integer("seconds", 10);
    this.warmup = integer("warmup", 5);
    this.serverPid = Long.parseLong(raw.getOrDefault("server-pid", "-1"));
    this.perSource = integer("per-source", 5000);
    this.token = raw.get("token");
  }

  int integer(String name, int fallback) {
    return Integer.parseInt(raw.getOrDefault(name, Integer.toString(fallback)));
  }

  long longValue(String name, long fallback) {
    return Long.parseLong(raw.getOrDefault(name, Long.toString(fallback)));
  }

  String string(String name, String fallback) {
    return raw.getOrDefault(name, fallback);
  }

  /** A comma-separated list of integers, such as {@code --rates 10,150,1000}. */
  List<Integer> integers(String name, String fallback) {
    return Arrays.stream(raw.getOrDefault(name, fallback).split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .map(Integer::parseInt).toList();
  }

  /** The given token, or one minted by the node's dev-token endpoint for every session. */
  String token(Vertx vertx) throws Exception {
    if (token == null) {
      WebClient client = WebClient.create(vertx);
      token = DevTokens.mint(client, this, "bench", new JsonArray().add("*"), new JsonArray().add("*"))
          .await(10, TimeUnit.SECONDS);
      client.close();
    }
    return token;
  }
}
