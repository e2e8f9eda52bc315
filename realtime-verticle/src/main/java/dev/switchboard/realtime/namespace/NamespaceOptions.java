package dev.switchboard.realtime.namespace;

import com.networknt.schema.Schema;

import java.util.Map;

/**
 * What one namespace allows (docs/PROTOCOL.md, Namespaces); a namespace the configuration does not name gets
 * {@link #defaults}.
 *
 * @param clientPublish whether clients may publish (else only the application's backend, with the server API key)
 * @param signals whether clients may send signals
 * @param maxPayloadBytes the largest payload (its JSON text in UTF-8) a publish or signal may carry
 * @param schemas a JSON Schema per {@code eventType}: a payload of that type must match it; other types are free
 */
public record NamespaceOptions(boolean clientPublish, boolean signals, int maxPayloadBytes,
                               Map<String, Schema> schemas) {

  public NamespaceOptions {
    schemas = Map.copyOf(schemas);
  }

  /** Everything allowed, payloads up to {@code maxPayloadBytes} (the frame limit). */
  public static NamespaceOptions defaults(int maxPayloadBytes) {
    return new NamespaceOptions(true, true, maxPayloadBytes, Map.of());
  }
}
