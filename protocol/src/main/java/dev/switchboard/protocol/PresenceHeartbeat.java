package dev.switchboard.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * An edge node's periodic "these connections are still here", sent to presence ({@link Addresses#PRESENCE_UPDATE})
 * once per heartbeat interval: every connection of the node in every session, in one message. Presence marks them
 * seen, restores any it lost (a store outage, a restart), and lets connections that stop appearing expire.
 *
 * <pre>
 * {"nodeId":"node-1","connections":[{"sessionId":"poll-1","connectionId":"c1","user":{"userId":"u1",...}}]}
 * </pre>
 */
public record PresenceHeartbeat(String nodeId, List<Entry> connections) {

  public PresenceHeartbeat {
    connections = List.copyOf(connections);
  }

  public JsonObject toJson() {
    JsonArray array = new JsonArray(new ArrayList<>(connections.size()));
    connections.forEach(entry -> array.add(entry.toJson()));
    return new JsonObject().put("nodeId", nodeId).put("connections", array);
  }

  public static PresenceHeartbeat fromJson(JsonObject json) {
    JsonArray array = json.getJsonArray("connections");
    List<Entry> connections = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      connections.add(Entry.fromJson(array.getJsonObject(i)));
    }
    return new PresenceHeartbeat(json.getString("nodeId"), connections);
  }

  /** One connection of the node in one session, and whose it is. */
  public record Entry(String sessionId, String connectionId, PresenceUser user) {

    public JsonObject toJson() {
      return new JsonObject().put("sessionId", sessionId).put("connectionId", connectionId).put("user", user.toJson());
    }

    public static Entry fromJson(JsonObject json) {
      return new Entry(json.getString("sessionId"), json.getString("connectionId"),
          PresenceUser.fromJson(json.getJsonObject("user")));
    }
  }
}
