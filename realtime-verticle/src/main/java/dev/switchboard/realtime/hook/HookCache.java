package dev.switchboard.realtime.hook;

import dev.switchboard.protocol.Principal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The subscribe and connect hooks' allow answers a node reuses for the time their {@code cacheSec} says
 * (docs/PROTOCOL.md, Backend hooks), shared by the node's loops. Refusals and failures are never kept. Expired answers
 * are dropped as they are met, and all of them whenever the cache passes {@link #SWEEP_ABOVE} entries.
 */
public final class HookCache {

  static final int SWEEP_ABOVE = 100_000;

  /** Per hook (two namespaces with hooks of their own never share answers), per user and session. */
  private final ConcurrentHashMap<HookTarget, ConcurrentHashMap<String, Long>> byHook = new ConcurrentHashMap<>();

  /** The connect hook's answers by the hash of the forwarded headers: a principal, until a time. */
  private final ConcurrentHashMap<String, Connected> connected = new ConcurrentHashMap<>();

  /** The principal the connect hook gave for the headers hashed as {@code key}, while it may be reused; or null. */
  Principal connected(HookTarget hook, String key) {
    if (hook.cacheMs == 0) {
      return null;
    }
    Connected answer = connected.get(key);
    if (answer == null) {
      return null;
    }
    if (answer.until() <= System.currentTimeMillis()) {
      connected.remove(key, answer);
      return null;
    }
    return answer.principal();
  }

  void rememberConnected(HookTarget hook, String key, Principal principal) {
    if (hook.cacheMs == 0) {
      return;
    }
    long now = System.currentTimeMillis();
    if (connected.size() > SWEEP_ABOVE) {
      connected.values().removeIf(answer -> answer.until() <= now);
    }
    connected.put(key, new Connected(principal, Math.min(now + hook.cacheMs, principal.expiresAt())));
  }

  private record Connected(Principal principal, long until) {
  }

  boolean allowed(HookTarget hook, String userId, String sessionId) {
    if (hook.cacheMs == 0) {
      return false;
    }
    ConcurrentHashMap<String, Long> allowedUntil = byHook.computeIfAbsent(hook, h -> new ConcurrentHashMap<>());
    String key = key(userId, sessionId);
    Long until = allowedUntil.get(key);
    if (until == null) {
      return false;
    }
    if (until <= System.currentTimeMillis()) {
      allowedUntil.remove(key, until);
      return false;
    }
    return true;
  }

  void remember(HookTarget hook, String userId, String sessionId) {
    if (hook.cacheMs == 0) {
      return;
    }
    long now = System.currentTimeMillis();
    ConcurrentHashMap<String, Long> allowedUntil = byHook.computeIfAbsent(hook, h -> new ConcurrentHashMap<>());
    if (allowedUntil.size() > SWEEP_ABOVE) {
      allowedUntil.values().removeIf(until -> until <= now);
    }
    allowedUntil.put(key(userId, sessionId), now + hook.cacheMs);
  }

  private static String key(String userId, String sessionId) {
    return userId + "\n" + sessionId;
  }
}
