package dev.switchboard.realtime.ws;

import dev.switchboard.protocol.Principal;
import dev.switchboard.realtime.hub.HubRegistry;
import dev.switchboard.realtime.hub.Subscriber;
import dev.switchboard.realtime.hub.Subscription;
import dev.switchboard.realtime.wire.RequestFailure;
import dev.switchboard.realtime.wire.Refusal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sessions one WebSocket is subscribed to, and the rules for adding and keeping one (docs/PROTOCOL.md,
 * Subscribing and resuming; Authentication, Expiry and refresh). Used on its edge loop.
 */
final class SocketSubscriptions {

  private final HubRegistry hubs;
  private final Subscriber socket;
  private final int max;
  private final Map<String, Subscription> bySession = new LinkedHashMap<>(4);

  SocketSubscriptions(HubRegistry hubs, Subscriber socket, int maxSubscriptions) {
    this.hubs = hubs;
    this.socket = socket;
    this.max = maxSubscriptions;
  }

  /** Subscribes if {@code principal} may and the socket has room; otherwise the refusal, and nothing changes. */
  RequestFailure add(Principal principal, String sessionId, Long fromEventId) {
    if (!principal.canSubscribe(sessionId)) {
      return Refusal.SESSION_FORBIDDEN.failure();
    }
    if (bySession.containsKey(sessionId)) {
      return Refusal.ALREADY_SUBSCRIBED.failure();
    }
    if (bySession.size() >= max) {
      return Refusal.TOO_MANY_SUBSCRIPTIONS.failure(max);
    }
    start(sessionId, fromEventId);
    return null;
  }

  /** Subscribes the session the socket's URL names, already checked. */
  void start(String sessionId, Long fromEventId) {
    Subscription subscription = hubs.subscribe(sessionId, socket, fromEventId);
    bySession.put(sessionId, subscription);
    subscription.start();
  }

  /** Ends one subscription; nothing for a session the socket is not subscribed to. */
  void remove(String sessionId) {
    Subscription subscription = bySession.remove(sessionId);
    if (subscription != null) {
      subscription.cancel();
    }
  }

  /** Ends every subscription {@code principal} (a refreshed token) no longer allows; returns their sessions. */
  List<String> keepOnlyAllowed(Principal principal) {
    List<String> ended = new ArrayList<>();
    for (String sessionId : new ArrayList<>(bySession.keySet())) {
      if (!principal.canSubscribe(sessionId)) {
        remove(sessionId);
        ended.add(sessionId);
      }
    }
    return ended;
  }

  /** The socket closed. */
  void cancelAll() {
    new ArrayList<>(bySession.values()).forEach(Subscription::cancel);
    bySession.clear();
  }
}
