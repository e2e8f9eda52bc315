package dev.switchboard.client;

import com.eclipsesource.json.JsonObject;

import java.util.List;
import java.util.function.Consumer;

/**
 * Routes each server frame, whatever transport carried it, to where it belongs: the session's state (position,
 * dedupe, presence), the publisher (acks and errors of publishes), and the application's listener. On the loop only.
 */
final class FrameDispatcher {

  private static final String SUBSCRIBE_PREFIX = "subscribe:";

  private final Subscriptions subscriptions;
  private final Publisher publisher;
  private final Delivery delivery;
  private final Consumer<String> rereadPresence;

  /** @param rereadPresence reads a session's presence again, when the list held has missed users */
  FrameDispatcher(Subscriptions subscriptions, Publisher publisher, Delivery delivery,
      Consumer<String> rereadPresence) {
    this.subscriptions = subscriptions;
    this.publisher = publisher;
    this.delivery = delivery;
    this.rereadPresence = rereadPresence;
  }

  void dispatch(JsonObject frame) {
    String type = Frames.type(frame);
    SessionState session = subscriptions.get(Frames.string(frame, "sessionId"));
    switch (type) {
      case "event":
        String eventId = Frames.eventId(frame, "eventId");
        if (session != null && eventId != null && session.accept(eventId)) {
          delivery.event(Frames.event(frame));
        }
        break;
      case "replayed":
        String replayed = Frames.eventId(frame, "lastEventId");
        if (session != null && replayed != null) {
          String before = session.position();
          session.replayed(replayed);
          if (!replayed.equals(before) && replayed.equals(session.position())) {
            delivery.position(session.sessionId, replayed);
          }
        }
        break;
      case "reset":
        String head = Frames.eventId(frame, "lastEventId");
        if (session != null && head != null) {
          session.reset(head);
          delivery.reset(session.sessionId, Frames.string(frame, "reason"), head);
        }
        break;
      case "presence.state":
        if (session != null) {
          presenceState(session, frame);
        }
        break;
      case "presence.diff":
        if (session != null) {
          presenceDiff(session, frame);
        }
        break;
      case "signal":
        delivery.signal(Frames.signal(frame));
        break;
      case "ack":
        publisher.onAck(frame);
        break;
      case "error":
        error(frame);
        break;
      case "unsubscribed":
        // The server ended the subscription (a refreshed token no longer allows it): drop it rather than resume it.
        String ended = Frames.string(frame, "sessionId");
        if (ended != null && subscriptions.remove(ended)) {
          delivery.error(HttpErrors.fromFrame(frame, "unsubscribed").withSession(ended));
        }
        break;
      default:
        break;
    }
  }

  /** Presence read over REST is reported like a {@code presence.state} frame. */
  void polledPresence(String sessionId, List<PresenceUser> users, int count) {
    SessionState session = subscriptions.get(sessionId);
    if (session != null) {
      session.setPresence(users, count);
      delivery.presence(new PresenceChange(sessionId, PresenceChange.Action.STATE, null, session.users(), count));
    }
  }

  private void presenceState(SessionState session, JsonObject frame) {
    List<PresenceUser> users = Frames.users(frame, "users");
    session.setPresence(users == null ? java.util.Collections.<PresenceUser>emptyList() : users,
        Frames.integer(frame, "count", -1));
    delivery.presence(new PresenceChange(session.sessionId, PresenceChange.Action.STATE, null, session.users(),
        session.count()));
  }

  /** A diff naming several users is reported as one change per user, leaves first, each with the list after it. */
  private void presenceDiff(SessionState session, JsonObject frame) {
    List<PresenceUser> joins = Frames.users(frame, "joins");
    List<PresenceUser> leaves = Frames.users(frame, "leaves");
    if (session.applyDiff(joins, leaves, Frames.integer(frame, "count", -1))) {
      rereadPresence.accept(session.sessionId);
    }
    List<PresenceUser> users = session.users();
    if (!session.listed()) {
      delivery.presence(new PresenceChange(session.sessionId, PresenceChange.Action.COUNT, null, users,
          session.count()));
      return;
    }
    for (PresenceUser user : leaves) {
      delivery.presence(new PresenceChange(session.sessionId, PresenceChange.Action.LEAVE, user, users,
          session.count()));
    }
    for (PresenceUser user : joins) {
      delivery.presence(new PresenceChange(session.sessionId, PresenceChange.Action.JOIN, user, users,
          session.count()));
    }
  }

  private void error(JsonObject frame) {
    if (publisher.onError(frame)) {
      return;
    }
    String requestId = Frames.string(frame, "requestId");
    String subscribed = requestId != null && requestId.startsWith(SUBSCRIBE_PREFIX)
        ? requestId.substring(SUBSCRIBE_PREFIX.length()) : null;
    SwitchboardException error = HttpErrors.fromFrame(frame, "error");
    if (subscribed != null && error.code() == ErrorCode.FORBIDDEN) {
      // The token does not allow this session: keep the rest, drop this one rather than retry it forever.
      subscriptions.remove(subscribed);
    }
    delivery.error(subscribed == null ? error : error.withSession(subscribed));
  }
}
