package dev.switchboard.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a client that follows one session's presence frames knows (docs/PROTOCOL.md, Presence): who is present, from
 * the {@code presence.state} it got and the {@code presence.diff} frames that listed users since, the count, and the
 * diff frames themselves. Frames of other types and sessions are skipped.
 */
final class PresenceView {

  private static final long WAIT_MS = 30_000;

  private final FrameSource source;
  private final String sessionId;
  private final Set<String> present = new HashSet<>();
  private final List<JsonObject> diffs = new ArrayList<>();
  private int count = -1;

  PresenceView(FrameSource source, String sessionId) {
    this.source = source;
    this.sessionId = sessionId;
  }

  /** Reads frames until {@code done} holds; fails, saying what it saw, when it does not within 30 s. */
  PresenceView until(Predicate<PresenceView> done, String what) {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (!done.test(this)) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        throw new AssertionError("not within " + WAIT_MS / 1000 + " s: " + what + "; " + this);
      }
      JsonObject frame = source.poll(left);
      if (frame != null && sessionId.equals(frame.getString("sessionId"))) {
        apply(frame);
      }
    }
    return this;
  }

  /** Reads frames until the count is {@code expected}. */
  PresenceView untilCount(int expected) {
    return until(view -> view.count == expected, "a count of " + expected);
  }

  private void apply(JsonObject frame) {
    switch (frame.getString("type")) {
      case "presence.state" -> {
        present.clear();
        userIds(frame.getJsonArray("users"), present);
        count = frame.getInteger("count");
      }
      case "presence.diff" -> {
        diffs.add(frame);
        count = frame.getInteger("count");
        if (frame.containsKey("joins")) {
          List<String> left = new ArrayList<>();
          userIds(frame.getJsonArray("leaves"), left);
          present.removeAll(left);
          userIds(frame.getJsonArray("joins"), present);
        }
      }
      default -> {
      }
    }
  }

  /** The user ids present, as the state and the diffs that listed users say. */
  Set<String> present() {
    return present;
  }

  /** The last count a frame carried, or -1 before any. */
  int count() {
    return count;
  }

  /** Every diff frame read so far, in order. */
  List<JsonObject> diffs() {
    return diffs;
  }

  /** How many of the diffs read so far name {@code userId} in {@code list}: {@code "joins"} or {@code "leaves"}. */
  long named(String list, String userId) {
    return diffs.stream().filter(diff -> diff.containsKey(list)).flatMap(diff -> diff.getJsonArray(list).stream())
        .filter(user -> userId.equals(((JsonObject) user).getString("userId"))).count();
  }

  private static void userIds(JsonArray users, Collection<String> into) {
    for (int i = 0; i < users.size(); i++) {
      into.add(users.getJsonObject(i).getString("userId"));
    }
  }

  @Override
  public String toString() {
    return "count " + count + ", " + present.size() + " present, " + diffs.size() + " diff frames";
  }
}
