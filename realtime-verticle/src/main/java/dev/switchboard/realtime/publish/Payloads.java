package dev.switchboard.realtime.publish;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/** Turns a client's payload value into the JSON text that is stored, refusing structures nested too deeply. */
public final class Payloads {

  private Payloads() {
  }

  /** JSON text of the value, or null when it nests deeper than {@code maxDepth} levels. */
  static String encode(Object value, int maxDepth) {
    if (depth(value, 0, maxDepth) > maxDepth) {
      return null;
    }
    return value == null ? "null" : Json.encode(value);
  }

  private static int depth(Object value, int level, int maxDepth) {
    if (level > maxDepth) {
      return level;
    }
    Iterable<?> children;
    if (value instanceof JsonObject object) {
      children = object.getMap().values();
    } else if (value instanceof Map<?, ?> map) {
      children = map.values();
    } else if (value instanceof JsonArray array) {
      children = array.getList();
    } else if (value instanceof List<?> list) {
      children = list;
    } else {
      return level;
    }
    int deepest = level + 1;
    for (Object child : children) {
      deepest = Math.max(deepest, depth(child, level + 1, maxDepth));
      if (deepest > maxDepth) {
        break;
      }
    }
    return deepest;
  }
}
