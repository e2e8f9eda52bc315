package dev.switchboard.realtime.namespace;

import com.networknt.schema.Schema;
import dev.switchboard.realtime.hook.HookKind;
import dev.switchboard.realtime.hook.HookTarget;

import java.util.Map;

/**
 * What one namespace allows (docs/PROTOCOL.md, Namespaces); a namespace the configuration does not name gets
 * {@link #defaults}.
 *
 * @param clientPublish whether clients may publish (else only the application's backend, with the server API key)
 * @param signals whether clients may send signals
 * @param maxPayloadBytes the largest payload (its JSON text in UTF-8) a publish or signal may carry
 * @param schemas a JSON Schema per {@code eventType}: a payload of that type must match it; other types are free
 * @param hooks the backend hooks called for the namespace's sessions (the namespace's own, else the global ones)
 * @param presence whether the namespace's subscribers are tracked in presence at all
 * @param joinLeave whether their joins and leaves are broadcast as {@code presence.diff} (presence on)
 * @param publishRate the publishes and signals a user may send in the namespace per minute, from a bucket of its own
 *                    (with {@code publishBurst}), or 0 for the global budget ({@code SB_PUBLISH_RATE})
 * @param publishBurst the size of that bucket (0 with {@code publishRate} 0)
 * @param anonymous whether clients without a token may subscribe, read-only and without identities
 */
public record NamespaceOptions(boolean clientPublish, boolean signals, int maxPayloadBytes,
                               Map<String, Schema> schemas, Map<HookKind, HookTarget> hooks,
                               boolean presence, boolean joinLeave, int publishRate, int publishBurst,
                               boolean anonymous) {

  public NamespaceOptions {
    schemas = Map.copyOf(schemas);
    hooks = Map.copyOf(hooks);
  }

  /** Everything allowed, payloads up to {@code maxPayloadBytes} (the frame limit), and the global hooks. */
  public static NamespaceOptions defaults(int maxPayloadBytes, Map<HookKind, HookTarget> hooks) {
    return new NamespaceOptions(true, true, maxPayloadBytes, Map.of(), hooks, true, true, 0, 0, false);
  }

  /** Whether publishes in the namespace are charged to a bucket of its own rather than the global budget. */
  public boolean ownPublishRate() {
    return publishRate > 0;
  }

  /** The hook of {@code kind} for these sessions, or null. */
  public HookTarget hook(HookKind kind) {
    return hooks.get(kind);
  }
}
