package dev.switchboard.realtime;

import dev.switchboard.protocol.Principal;
import dev.switchboard.protocol.SessionGrant;
import dev.switchboard.realtime.wire.Refusal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The session tokens one connection holds (docs/PROTOCOL.md, Per-session tokens): at most one grant per session, each
 * in force until its token's {@code exp} (without leeway), when {@code onExpired} hears of its session so that the
 * connection can end that subscription alone. A newer grant of a session replaces the older one and moves its expiry:
 * that is how a WebSocket refreshes a session token without unsubscribing.
 *
 * <p>Not thread-safe: used on its connection's loop.
 */
public final class SessionTokens {

  private final EdgeTimers timers;
  private final Consumer<String> onExpired;
  private final Map<String, Held> bySession = new HashMap<>(2);

  public SessionTokens(EdgeTimers timers, Consumer<String> onExpired) {
    this.timers = timers;
    this.onExpired = onExpired;
  }

  /**
   * Why a verified grant cannot serve {@code userId}'s subscription to {@code sessionId}, or null when it can: it must
   * be that user's, for that session, and not past its {@code exp} (auth accepts a token within the leeway after it).
   */
  public static Refusal mismatch(SessionGrant grant, String userId, String sessionId, long now) {
    if (!grant.userId().equals(userId)) {
      return Refusal.SESSION_TOKEN_FOR_ANOTHER_USER;
    }
    if (!grant.sessionId().equals(sessionId)) {
      return Refusal.SESSION_TOKEN_FOR_ANOTHER_SESSION;
    }
    return grant.expiresAt() <= now ? Refusal.SESSION_TOKEN_EXPIRED : null;
  }

  /** Puts {@code grant} in force for its session, replacing (and so extending or shortening) any older one. */
  public void hold(SessionGrant grant) {
    drop(grant.sessionId());
    String sessionId = grant.sessionId();
    long timer = timers.schedule(Math.max(1, grant.expiresAt() - timers.now()), () -> {
      bySession.remove(sessionId);
      onExpired.accept(sessionId);
    });
    bySession.put(sessionId, new Held(grant, timer));
  }

  /** {@code principal}, widened by the grant of {@code sessionId} when one is in force; else {@code principal}. */
  public Principal widen(Principal principal, String sessionId) {
    Held held = bySession.get(sessionId);
    return held == null || principal == null ? principal : held.grant.widen(principal);
  }

  /** Whether a grant of {@code sessionId} is in force. */
  public boolean holds(String sessionId) {
    return bySession.containsKey(sessionId);
  }

  /** Forgets the grant of {@code sessionId} (its subscription ended); its expiry no longer fires. */
  public void drop(String sessionId) {
    Held held = bySession.remove(sessionId);
    if (held != null) {
      timers.cancel(held.timer);
    }
  }

  /** The connection ended: no expiry fires any more. */
  public void close() {
    bySession.values().forEach(held -> timers.cancel(held.timer));
    bySession.clear();
  }

  private record Held(SessionGrant grant, long timer) {
  }
}
