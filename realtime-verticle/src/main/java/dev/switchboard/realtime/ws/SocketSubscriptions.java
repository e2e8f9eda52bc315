package dev.switchboard.realtime.ws;

import dev.switchboard.protocol.Principal;
import dev.switchboard.protocol.SessionPositions;
import dev.switchboard.realtime.hook.Hooks;
import dev.switchboard.realtime.hub.HubRegistry;
import dev.switchboard.realtime.hub.Subscriber;
import dev.switchboard.realtime.hub.Subscription;
import dev.switchboard.realtime.positions.ReadPositions;
import dev.switchboard.realtime.wire.RequestFailure;
import dev.switchboard.realtime.wire.Refusal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The sessions one WebSocket is subscribed to, and the rules for adding and keeping one (docs/PROTOCOL.md,
 * Subscribing and resuming; Authentication, Expiry and refresh). Used on its edge loop.
 */
final class SocketSubscriptions {

  /** Hears that a subscribe hook refused a subscription ({@code requestId} null for the URL's session). */
  interface Refused {
    void refused(Object requestId, String sessionId, Throwable cause);
  }

  private final HubRegistry hubs;
  private final ReadPositions readPositions;
  private final Hooks hooks;
  private final Refused refused;
  private final Subscriber socket;
  private final int max;
  private final Map<String, Entry> bySession = new LinkedHashMap<>(4);

  SocketSubscriptions(HubRegistry hubs, ReadPositions readPositions, Hooks hooks, Subscriber socket,
                      int maxSubscriptions, Refused refused) {
    this.hubs = hubs;
    this.readPositions = readPositions;
    this.hooks = hooks;
    this.refused = refused;
    this.socket = socket;
    this.max = maxSubscriptions;
  }

  /**
   * Subscribes if {@code principal} may and the socket has room; otherwise the refusal, and nothing changes. A
   * subscribe hook's refusal comes later, through {@link Refused}.
   */
  RequestFailure add(Principal principal, String sessionId, Long fromEventId, Object requestId) {
    if (!principal.canSubscribe(sessionId)) {
      return Refusal.SESSION_FORBIDDEN.failure();
    }
    if (bySession.containsKey(sessionId)) {
      return Refusal.ALREADY_SUBSCRIBED.failure();
    }
    if (bySession.size() >= max) {
      return Refusal.TOO_MANY_SUBSCRIPTIONS.failure(max);
    }
    start(principal, sessionId, fromEventId, requestId);
    return null;
  }

  /**
   * Subscribes a session already checked, once its namespace's subscribe hook (if any) allows it and the user's
   * positions there are known: they say where a subscription without {@code fromEventId} starts
   * ({@link ReadPositions#startAfter}), and {@code replayed} reports them.
   */
  void start(Principal principal, String sessionId, Long fromEventId, Object requestId) {
    Entry entry = new Entry();
    bySession.put(sessionId, entry);
    hooks.subscribe(principal, sessionId).onFailure(cause -> {
      if (bySession.get(sessionId) == entry && !socket.isFinished()) {
        bySession.remove(sessionId);
        refused.refused(requestId, sessionId, cause);
      }
    }).compose(v -> readPositions.forSubscribing(principal, List.of(sessionId))).onSuccess(positions -> {
      if (bySession.get(sessionId) != entry || socket.isFinished()) {
        return;
      }
      entry.positions = positions.of(sessionId);
      entry.subscription = hubs.subscribe(sessionId, socket,
          ReadPositions.startAfter(principal, sessionId, fromEventId, entry.positions));
      entry.subscription.start();
    });
  }

  /** The user's positions in a subscribed session when it started, or null when it has none. */
  SessionPositions positions(String sessionId) {
    Entry entry = bySession.get(sessionId);
    return entry == null ? null : entry.positions;
  }

  /** Ends one subscription; nothing for a session the socket is not subscribed to. Returns whether it had one. */
  boolean remove(String sessionId) {
    Entry entry = bySession.remove(sessionId);
    if (entry != null && entry.subscription != null) {
      entry.subscription.cancel();
    }
    return entry != null;
  }

  /** Whether the socket is subscribed to {@code sessionId} (or about to be, its subscribe hook pending). */
  boolean has(String sessionId) {
    return bySession.containsKey(sessionId);
  }

  /** Ends every subscription a refreshed token (with the session tokens held) no longer allows; returns them. */
  List<String> keepOnlyAllowed(Predicate<String> allowed) {
    List<String> ended = new ArrayList<>();
    for (String sessionId : new ArrayList<>(bySession.keySet())) {
      if (!allowed.test(sessionId)) {
        remove(sessionId);
        ended.add(sessionId);
      }
    }
    return ended;
  }

  /** The socket closed. */
  void cancelAll() {
    List<Entry> entries = new ArrayList<>(bySession.values());
    bySession.clear();
    entries.stream().filter(entry -> entry.subscription != null).forEach(entry -> entry.subscription.cancel());
  }

  /** One session of the socket: its subscription once its positions are known (null until then), and those. */
  private static final class Entry {
    Subscription subscription;
    SessionPositions positions;
  }
}
