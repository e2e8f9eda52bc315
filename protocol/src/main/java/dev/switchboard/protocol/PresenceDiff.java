package dev.switchboard.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * What changed in one session's presence during one batching interval, published by presence to every edge
 * ({@link Addresses#PRESENCE_CHANGES}) and sent by each to the session's subscribers as a {@code presence.diff} frame
 * (docs/PROTOCOL.md, Presence). It either lists the users who joined and left, or, for a session above
 * {@code SB_PRESENCE_BROADCAST_MAX}, says only how many did ({@code joins} and {@code leaves} null). Anonymous
 * subscribers are never among them nor in {@code count}: each diff carries their totals per actor type instead, so a
 * client replaces its counts with every diff's.
 *
 * <pre>
 * {"sessionId":"poll-1","count":3,"joined":1,"left":1,"joins":[{"userId":"bob",...}],"leaves":[{"userId":"cy",...}]}
 * {"sessionId":"poll-1","count":2500,"joined":40,"left":3,"anonymous":{"display":2}}
 * </pre>
 *
 * @param count  how many users are present once these changes are applied
 * @param joined how many users joined (the size of {@code joins} when they are listed)
 * @param left   how many users left (the size of {@code leaves} when they are listed)
 * @param joins  the users who joined, or {@code null} for counts only
 * @param leaves the users who left, or {@code null} for counts only
 * @param anonymous how many anonymous subscribers are present per actor type once these changes are applied
 */
public record PresenceDiff(String sessionId, int count, int joined, int left, List<PresenceUser> joins,
                           List<PresenceUser> leaves, Map<String, Integer> anonymous) {

  public PresenceDiff {
    anonymous = AnonymousCounts.copy(anonymous);
    if ((joins == null) != (leaves == null)) {
      throw new IllegalArgumentException("a presence diff lists both joins and leaves, or neither");
    }
    if (joins != null) {
      joins = List.copyOf(joins);
      leaves = List.copyOf(leaves);
      if (joined != joins.size() || left != leaves.size()) {
        throw new IllegalArgumentException("joined and left must be the sizes of the lists");
      }
    }
  }

  /** A diff that names its users, in a session without anonymous subscribers. */
  public static PresenceDiff listing(String sessionId, int count, List<PresenceUser> joins,
                                     List<PresenceUser> leaves) {
    return listing(sessionId, count, joins, leaves, Map.of());
  }

  /** A diff that carries counts only, in a session without anonymous subscribers. */
  public static PresenceDiff countsOnly(String sessionId, int count, int joined, int left) {
    return countsOnly(sessionId, count, joined, left, Map.of());
  }

  /** A diff that names its users. */
  public static PresenceDiff listing(String sessionId, int count, List<PresenceUser> joins,
                                     List<PresenceUser> leaves, Map<String, Integer> anonymous) {
    return new PresenceDiff(sessionId, count, joins.size(), leaves.size(), joins, leaves, anonymous);
  }

  /** A diff that carries counts only. */
  public static PresenceDiff countsOnly(String sessionId, int count, int joined, int left,
                                        Map<String, Integer> anonymous) {
    return new PresenceDiff(sessionId, count, joined, left, null, null, anonymous);
  }

  /** The same diff without anyone named: what an anonymous subscriber is sent. */
  public PresenceDiff unnamed() {
    return countsOnly(sessionId, count, joined, left, anonymous);
  }

  /** Whether the users are listed, rather than only counted. */
  public boolean listsUsers() {
    return joins != null;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("sessionId", sessionId).put("count", count).put("joined", joined)
        .put("left", left).put("anonymous", AnonymousCounts.toJson(anonymous));
    if (listsUsers()) {
      json.put("joins", PresenceUser.toJson(joins)).put("leaves", PresenceUser.toJson(leaves));
    }
    return json;
  }

  public static PresenceDiff fromJson(JsonObject json) {
    JsonArray joins = json.getJsonArray("joins");
    JsonArray leaves = json.getJsonArray("leaves");
    return new PresenceDiff(json.getString("sessionId"), json.getInteger("count"), json.getInteger("joined"),
        json.getInteger("left"), joins == null ? null : PresenceUser.fromJson(joins),
        leaves == null ? null : PresenceUser.fromJson(leaves), AnonymousCounts.fromJson(json.getJsonObject("anonymous")));
  }
}
