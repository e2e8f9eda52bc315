package dev.switchboard.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Presence at scale (docs/PROTOCOL.md, Presence): a crowd joining one session reaches its subscribers as a few
 * {@code presence.diff} frames that name every joiner, and a session above {@code SB_PRESENCE_BROADCAST_MAX} gets
 * counts only. How fast is for bench/, not for these tests.
 */
class PresenceAtScaleTest {

  private static final String WATCHER = token("watcher");

  @Test
  void aCrowdJoiningOneSessionReachesItsSubscriberInFewFramesThatNameEveryJoiner() {
    int crowd = 200;
    try (TestNode node = TestNode.start();
         WsClient watcher = node.connect("sessionId=scale-crowd", WATCHER);
         WsClient elsewhere = node.connect("sessionId=scale-elsewhere", token("elsewhere"))) {
      PresenceView view = new PresenceView(watcher, "scale-crowd").until(v -> v.present().contains("watcher"),
          "the watcher's own presence");
      elsewhere.next("presence.state");

      List<WsClient> joiners = WsClient.connectAll(node, "/events?sessionId=scale-crowd", tokens("user-", crowd));
      try {
        for (int i = 0; i < 10; i++) {
          node.publish(token("elsewhere"), "scale-elsewhere", new JsonObject().put("n", i));
        }
        view.untilCount(crowd + 1);

        Set<String> everyone = new HashSet<>(ids("user-", crowd));
        everyone.add("watcher");
        assertEquals(everyone, view.present(), "every joiner is named in a diff");
        int frames = view.diffs().size();
        assertTrue(frames <= crowd / 4, frames + " presence frames for " + crowd + " joins: not batched");
        List<JsonObject> events = elsewhere.events(10);
        assertEquals(0, events.get(0).getJsonObject("payload").getInteger("n"));
        assertEquals(9, events.get(9).getJsonObject("payload").getInteger("n"),
            "a subscriber of another session gets its events, and none of the crowd's presence");
        assertTrue(noFrameOf(elsewhere, "scale-crowd"));
      } finally {
        joiners.forEach(WsClient::close);
      }
    }
  }

  @Test
  void aboveTheBroadcastMaxSubscribersGetCountsOnlyAndListsComeBackBelowIt() {
    int max = 20;
    int crowd = 60;
    try (TestNode node = TestNode.start(Map.of("SB_PRESENCE_BROADCAST_MAX", Integer.toString(max)));
         WsClient watcher = node.connect("sessionId=scale-max", WATCHER)) {
      PresenceView view = new PresenceView(watcher, "scale-max").until(v -> v.present().contains("watcher"),
          "the watcher's own presence");
      List<WsClient> joiners = WsClient.connectAll(node, "/events?sessionId=scale-max", tokens("user-", crowd));
      try {
        view.untilCount(crowd + 1);
        for (WsClient joiner : joiners.subList(0, crowd - 10)) {
          joiner.close();
        }
        view.untilCount(11);
        List<JsonObject> countsOnly = new ArrayList<>();
        for (JsonObject diff : view.diffs()) {
          if (diff.containsKey("joins")) {
            assertTrue(diff.getInteger("count") <= max, "a diff lists users only up to the max: " + diff);
            assertTrue(diff.getJsonArray("joins").size() + diff.getJsonArray("leaves").size() <= max, diff.encode());
          } else {
            assertFalse(diff.containsKey("leaves"), diff.encode());
            countsOnly.add(diff);
          }
        }
        assertFalse(countsOnly.isEmpty(), "above the max, diffs carry counts only: " + view.diffs());
        assertTrue(countsOnly.stream().allMatch(diff -> diff.getInteger("joined") + diff.getInteger("left") > 0));
        assertEquals(crowd + 1, countsOnly.stream().mapToInt(diff -> diff.getInteger("count")).max().orElseThrow());

        try (WsClient late = node.connect("sessionId=scale-max", token("late"))) {
          view.untilCount(12);
          JsonObject last = view.diffs().get(view.diffs().size() - 1);
          assertEquals(new JsonObject().put("type", "presence.diff").put("sessionId", "scale-max")
                  .put("joins", new JsonArray().add(user("late"))).put("leaves", new JsonArray()).put("count", 12)
                  .put("anonymous", new JsonObject()),
              last, "back under the max, diffs name users again");
        }
      } finally {
        joiners.forEach(WsClient::close);
      }
    }
  }

  /** Whether {@code client} receives nothing about {@code sessionId} for a moment. */
  private static boolean noFrameOf(WsClient client, String sessionId) {
    JsonObject frame;
    while ((frame = client.poll(300)) != null) {
      if (sessionId.equals(frame.getString("sessionId"))) {
        return false;
      }
    }
    return true;
  }

  private static String token(String userId) {
    return TestTokens.user(userId, List.of("scale-*"), List.of("scale-*"));
  }

  private static List<String> ids(String prefix, int n) {
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add(String.format("%s%03d", prefix, i));
    }
    return ids;
  }

  private static List<String> tokens(String prefix, int n) {
    return ids(prefix, n).stream().map(PresenceAtScaleTest::token).toList();
  }

  /** A user as presence shows the test tokens' users. */
  private static JsonObject user(String userId) {
    return new JsonObject().put("userId", userId).put("name", "Name of " + userId).put("actorType", "participant");
  }
}
