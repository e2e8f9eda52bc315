package dev.switchboard.presence;

import dev.switchboard.protocol.PresenceAction;
import dev.switchboard.protocol.PresenceDiff;
import dev.switchboard.protocol.PresenceUser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The user joins and leaves announced since the last {@code presence.diff}, per session (docs/PROTOCOL.md, Presence):
 * each user counts by where they ended up against where they started, so a user who joined and left within one
 * interval is not mentioned at all, nor one who left and came back (a reload). Used from the presence verticle's
 * context only.
 *
 * <p>Anonymous subscribers' entries are collected like users, so a session where only they changed still gets a
 * diff (with their new counts), but a diff never names them nor counts them in {@code joined} and {@code left}.
 *
 * <p>The store reports a user's joins and leaves of a session alternately, so the first and the last change of a
 * user in an interval say it all: join ... join is a join, leave ... leave a leave, anything else nothing.
 */
final class PresenceDiffs {

  /** Session id to user id to that user's first and last change, both in the order they first changed. */
  private final Map<String, Map<String, Net>> sessions = new LinkedHashMap<>();

  /** Adds one change to its session's pending diff. */
  void add(PresenceChange change) {
    Map<String, Net> users = sessions.computeIfAbsent(change.sessionId(), id -> new LinkedHashMap<>());
    Net before = users.get(change.user().userId());
    users.put(change.user().userId(),
        new Net(before == null ? change.action() : before.first, change.action(), change.user()));
  }

  boolean isEmpty() {
    return sessions.isEmpty();
  }

  /**
   * Every session's net joins and leaves since the last call, in the order the sessions first changed, leaving
   * nothing pending; sessions whose changes cancelled out are left out.
   */
  List<Pending> take() {
    List<Pending> pending = new ArrayList<>(sessions.size());
    sessions.forEach((sessionId, users) -> {
      List<PresenceUser> joins = new ArrayList<>();
      List<PresenceUser> leaves = new ArrayList<>();
      for (Net net : users.values()) {
        if (net.first == net.last) {
          (net.last == PresenceAction.JOIN ? joins : leaves).add(net.user);
        }
      }
      if (!joins.isEmpty() || !leaves.isEmpty()) {
        pending.add(new Pending(sessionId, joins, leaves));
      }
    });
    sessions.clear();
    return pending;
  }

  /** One session's net joins and leaves of an interval, waiting for the session's count. */
  record Pending(String sessionId, List<PresenceUser> joins, List<PresenceUser> leaves) {

    /**
     * The diff to publish once the session holds {@code count} users and {@code anonymous} anonymous subscribers:
     * it names the users when the session has at most {@code broadcastMax} of them and names at most that many, and
     * carries counts only otherwise, so that no subscriber is sent a list longer than the max.
     */
    PresenceDiff diff(int count, Map<String, Integer> anonymous, int broadcastMax) {
      Predicate<PresenceUser> shown = user -> !user.isAnonymous();
      List<PresenceUser> shownJoins = joins.stream().filter(shown).toList();
      List<PresenceUser> shownLeaves = leaves.stream().filter(shown).toList();
      if (count <= broadcastMax && shownJoins.size() + shownLeaves.size() <= broadcastMax) {
        return PresenceDiff.listing(sessionId, count, shownJoins, shownLeaves, anonymous);
      }
      return PresenceDiff.countsOnly(sessionId, count, shownJoins.size(), shownLeaves.size(), anonymous);
    }

    /** The net changes as changes again, to be added back when this diff could not be published. */
    List<PresenceChange> changes() {
      List<PresenceChange> changes = new ArrayList<>(joins.size() + leaves.size());
      leaves.forEach(user -> changes.add(new PresenceChange(sessionId, PresenceAction.LEAVE, user)));
      joins.forEach(user -> changes.add(new PresenceChange(sessionId, PresenceAction.JOIN, user)));
      return changes;
    }
  }

  /** A user's first and last change in the interval, and the user as last reported. */
  private record Net(PresenceAction first, PresenceAction last, PresenceUser user) {
  }
}
