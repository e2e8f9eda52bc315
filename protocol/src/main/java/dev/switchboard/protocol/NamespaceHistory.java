package dev.switchboard.protocol;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The history windows the configuration file gives namespaces of their own (docs/PROTOCOL.md, Namespaces: the
 * {@code history} option): a duration ({@code "2h"}, {@code "7d"}, as {@code SB_HISTORY_TTL}), or {@code "keep"} for
 * events that are never deleted. Read by the persistence role, whose retention sweep applies them, and by the edge's
 * namespace parser, which checks the option with {@link #window} so both read it alike (one role may run without the
 * other in a process).
 *
 * @param windows the namespaces with a window of their own, to it
 * @param kept    the namespaces whose events are kept ({@code "keep"})
 */
public record NamespaceHistory(Map<String, Duration> windows, Set<String> kept) {

  /** The option's name in a namespace's options. */
  public static final String OPTION = "history";
  /** The value that keeps a namespace's events. */
  public static final String KEEP = "keep";

  /** No namespace with a history of its own: the global window for all. */
  public static final NamespaceHistory NONE = new NamespaceHistory(Map.of(), Set.of());

  public NamespaceHistory {
    windows = Map.copyOf(windows);
    kept = Set.copyOf(kept);
  }

  /**
   * The {@code history} options of the {@code namespaces} object of {@code config} (absent: {@link #NONE}).
   *
   * @throws IllegalArgumentException naming the namespace and option when a value is wrong
   */
  public static NamespaceHistory from(JsonObject config) {
    if (!(config.getValue("namespaces") instanceof JsonObject namespaces)) {
      // Absent, or not an object: the edge's parser explains the latter; nothing has a window of its own.
      return NONE;
    }
    Map<String, Duration> windows = new HashMap<>();
    Set<String> kept = new HashSet<>();
    for (String name : namespaces.fieldNames()) {
      if (namespaces.getValue(name) instanceof JsonObject options && options.containsKey(OPTION)) {
        Duration window = window(name, options.getValue(OPTION));
        if (window == null) {
          kept.add(name);
        } else {
          windows.put(name, window);
        }
      }
    }
    return new NamespaceHistory(windows, kept);
  }

  /**
   * One namespace's {@code history} value: its window, or null for {@code "keep"}.
   *
   * @throws IllegalArgumentException naming the namespace and option when the value is neither
   */
  public static Duration window(String namespace, Object value) {
    if (KEEP.equals(value)) {
      return null;
    }
    Duration window = null;
    if (value instanceof String text) {
      try {
        window = ConfigReader.parseDuration(text);
      } catch (IllegalArgumentException | ArithmeticException e) {
        window = null;
      }
    }
    if (window == null || window.isZero()) {
      throw new IllegalArgumentException("namespace '" + namespace + "': option '" + OPTION + "' must be a"
          + " positive duration such as 30s, 15m, 24h or 7d, or \"" + KEEP + "\"");
    }
    return window;
  }

  /** The namespaces whose history is not the global window's: the global sweep leaves their sessions alone. */
  public Set<String> own() {
    Set<String> own = new HashSet<>(windows.keySet());
    own.addAll(kept);
    return own;
  }

  /** The shortest window of all, the global one included: retention runs often enough for it. */
  public Duration shortest(Duration global) {
    return windows.values().stream().reduce(global, (a, b) -> a.compareTo(b) <= 0 ? a : b);
  }
}
