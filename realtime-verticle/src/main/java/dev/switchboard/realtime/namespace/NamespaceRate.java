package dev.switchboard.realtime.namespace;

import io.vertx.core.json.JsonObject;

/**
 * A namespace's {@code publishRate} and {@code publishBurst} (docs/PROTOCOL.md, Namespaces): publishes and signals a
 * user may send in the namespace per minute, from a bucket of their own there holding at most {@code burst} (as
 * {@code SB_PUBLISH_RATE} and {@code SB_PUBLISH_BURST} do for the global budget, which such publishes then skip).
 *
 * @param perMinute 0 when the namespace has no rate of its own
 * @param burst     {@code publishBurst}, by default the rate itself (a minute's worth), capped at {@link #MAX}
 */
record NamespaceRate(int perMinute, int burst) {

  /** The largest rate and burst: a bigger number is surely a mistake. */
  static final int MAX = 1_000_000;

  static NamespaceRate parse(String name, JsonObject options) {
    if (!options.containsKey("publishRate")) {
      if (options.containsKey("publishBurst")) {
        throw Namespaces.wrong(name, "publishBurst", "needs publishRate");
      }
      return new NamespaceRate(0, 0);
    }
    if (!(options.getValue("publishRate") instanceof Integer perMinute) || perMinute < 1 || perMinute > MAX) {
      throw Namespaces.wrong(name, "publishRate", "must be a whole number of 1-" + MAX + " (per user per minute)");
    }
    Object burst = options.getValue("publishBurst", perMinute);
    if (!(burst instanceof Integer size) || size < 1 || size > MAX) {
      throw Namespaces.wrong(name, "publishBurst", "must be a whole number of 1-" + MAX);
    }
    return new NamespaceRate(perMinute, size);
  }
}
