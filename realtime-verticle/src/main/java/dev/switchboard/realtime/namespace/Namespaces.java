package dev.switchboard.realtime.namespace;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.switchboard.protocol.NamespaceHistory;
import dev.switchboard.realtime.hook.HookKind;
import dev.switchboard.realtime.hook.HookTarget;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The namespaces of the configuration file's {@code namespaces} object (docs/PROTOCOL.md, Namespaces): a session id's
 * prefix up to its first {@code :} is its namespace ({@code poll:42} is in {@code poll}); a session without one, or in
 * a namespace not named, gets the defaults. Read once at start: an unknown option or a wrong value stops the node with
 * an error naming the namespace and the option.
 */
public final class Namespaces {

  /** The configuration file's key. */
  public static final String CONFIG_KEY = "namespaces";
  /** The configuration file's key of the global hooks, which every namespace has unless it names its own. */
  public static final String HOOKS_KEY = "hooks";
  /** The secret hook calls are signed with (docs/PROTOCOL.md, Backend hooks). */
  public static final String HOOK_SECRET = "SB_HOOK_SECRET";
  static final int MIN_HOOK_SECRET_BYTES = 32;
  private static final Set<String> OPTIONS = Set.of("publish", "signals", "maxPayloadBytes", "schemas", "hooks",
      NamespaceHistory.OPTION, "presence", "joinLeave", "publishRate", "publishBurst", "anonymous");

  private final Map<String, NamespaceOptions> byName;
  private final NamespaceOptions defaults;
  private final String hash;
  private final byte[] hookSecret;
  private final HookTarget connectHook;

  private Namespaces(Map<String, NamespaceOptions> byName, NamespaceOptions defaults, String hash,
                     byte[] hookSecret, HookTarget connectHook) {
    this.connectHook = connectHook;
    this.byName = Map.copyOf(byName);
    this.defaults = defaults;
    this.hash = hash;
    this.hookSecret = hookSecret;
  }

  /**
   * The namespaces of {@code config} (the node's configuration, whose {@code namespaces} key may be absent);
   * {@code maxFrameBytes} bounds every payload.
   *
   * @throws IllegalArgumentException naming the namespace and option that are wrong
   */
  public static Namespaces from(JsonObject config, int maxFrameBytes) {
    Object section = config.getValue(CONFIG_KEY);
    if (section != null && !(section instanceof JsonObject)) {
      throw new IllegalArgumentException("namespaces must be an object of namespace names to their options");
    }
    JsonObject namespaces = section == null ? new JsonObject() : (JsonObject) section;
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    Map<String, NamespaceOptions> byName = new HashMap<>();
    Schema metaSchema = namespaces.isEmpty() ? null
        : registry.getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));
    Map<HookKind, HookTarget> globalHooks = new EnumMap<>(HookKind.class);
    globalHooks.putAll(hooks(config.getValue(HOOKS_KEY), "hooks", Map.of()));
    boolean anyHook = !globalHooks.isEmpty();
    // A connection is in no namespace yet when it connects: the connect hook is the node's, never a namespace's.
    HookTarget connectHook = globalHooks.remove(HookKind.CONNECT);
    for (String name : namespaces.fieldNames()) {
      if (name.isEmpty() || name.contains(":")) {
        throw new IllegalArgumentException("namespace '" + name + "': a name is what comes before the first ':' of a"
            + " session id, so it is not empty and has no ':'");
      }
      if (!(namespaces.getValue(name) instanceof JsonObject options)) {
        throw new IllegalArgumentException("namespace '" + name + "': its options must be an object");
      }
      Map<HookKind, HookTarget> hooks = hooks(options.getValue("hooks"), "namespace '" + name + "': hooks",
          globalHooks);
      if (hooks.containsKey(HookKind.CONNECT)) {
        throw new IllegalArgumentException("namespace '" + name + "': hooks.connect: a connect hook is the node's"
            + " (a connection is in no namespace yet when it connects): put it in the global \"hooks\"");
      }
      NamespaceOptions parsed = parse(name, options, maxFrameBytes, registry, metaSchema, hooks);
      anyHook |= !parsed.hooks().isEmpty();
      byName.put(name, parsed);
    }
    JsonObject hashed = new JsonObject().put(CONFIG_KEY, namespaces).put(HOOKS_KEY, config.getValue(HOOKS_KEY));
    return new Namespaces(byName, NamespaceOptions.defaults(maxFrameBytes, globalHooks), digest(canonical(hashed)),
        anyHook ? hookSecret(config) : null, connectHook);
  }

  /** The node's connect hook (docs/PROTOCOL.md, Backend hooks), or null. */
  public HookTarget connectHook() {
    return connectHook;
  }

  /**
   * The session patterns of every namespace with {@code anonymous} on ({@code "poll:*"}): what an anonymous
   * subscriber may read (docs/PROTOCOL.md, Namespaces).
   */
  public List<String> anonymousPatterns() {
    return byName.entrySet().stream().filter(e -> e.getValue().anonymous()).map(e -> e.getKey() + ":*").sorted()
        .toList();
  }

  /** The secret of the hooks' signatures; only asked for when some hook is configured. */
  public byte[] hookSecret() {
    return hookSecret;
  }

  /** The hooks {@code json} (an object of hook kinds) names, over {@code inherited}. */
  private static Map<HookKind, HookTarget> hooks(Object json, String where, Map<HookKind, HookTarget> inherited) {
    if (json == null) {
      return inherited;
    }
    if (!(json instanceof JsonObject byKind)) {
      throw new IllegalArgumentException(where + " must be an object of hooks (connect, subscribe, publish)");
    }
    Map<HookKind, HookTarget> hooks = new EnumMap<>(HookKind.class);
    hooks.putAll(inherited);
    for (String kindName : byKind.fieldNames()) {
      HookKind kind = Arrays.stream(HookKind.values()).filter(k -> k.label().equals(kindName)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException(where + ": '" + kindName
              + "' is not a hook (connect, subscribe, publish)"));
      hooks.put(kind, HookTarget.parse(kind, byKind.getValue(kindName), where + "." + kindName));
    }
    return hooks;
  }

  private static byte[] hookSecret(JsonObject config) {
    Object secret = config.getValue(HOOK_SECRET);
    byte[] bytes = secret instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : new byte[0];
    if (bytes.length < MIN_HOOK_SECRET_BYTES) {
      throw new IllegalArgumentException(HOOK_SECRET + " must be set, at least " + MIN_HOOK_SECRET_BYTES
          + " bytes, when hooks are configured: the backend checks every call's signature with it");
    }
    return bytes;
  }

  /** The options of {@code sessionId}'s namespace. */
  public NamespaceOptions of(String sessionId) {
    String name = nameOf(sessionId);
    return name == null ? defaults : byName.getOrDefault(name, defaults);
  }

  /** The namespace of {@code sessionId}, or null for a session id without {@code :}. */
  public static String nameOf(String sessionId) {
    int colon = sessionId.indexOf(':');
    return colon < 0 ? null : sessionId.substring(0, colon);
  }

  /**
   * A hash of the configuration (SHA-256 of its JSON with keys sorted, hex): cluster members compare theirs, since
   * members that disagree would treat the same session differently.
   */
  public String hash() {
    return hash;
  }

  private static NamespaceOptions parse(String name, JsonObject options, int maxFrameBytes, SchemaRegistry registry,
                                        Schema metaSchema, Map<HookKind, HookTarget> hooks) {
    for (String option : options.fieldNames()) {
      if (!OPTIONS.contains(option)) {
        throw wrong(name, option, "is not an option (publish, signals, maxPayloadBytes, schemas, hooks, history,"
            + " presence, joinLeave, publishRate, publishBurst, anonymous)");
      }
    }
    Object publish = options.getValue("publish", "clients");
    if (!"clients".equals(publish) && !"backend".equals(publish)) {
      throw wrong(name, "publish", "must be \"clients\" or \"backend\"");
    }
    Object signals = options.getValue("signals", Boolean.TRUE);
    if (!(signals instanceof Boolean signalsOn)) {
      throw wrong(name, "signals", "must be true or false");
    }
    Object maxPayload = options.getValue("maxPayloadBytes", maxFrameBytes);
    if (!(maxPayload instanceof Integer bytes) || bytes < 1 || bytes > maxFrameBytes) {
      throw wrong(name, "maxPayloadBytes", "must be a whole number of 1-" + maxFrameBytes + " (SB_MAX_FRAME_BYTES)");
    }
    Object schemas = options.getValue("schemas", new JsonObject());
    if (!(schemas instanceof JsonObject bySchema)) {
      throw wrong(name, "schemas", "must be an object of eventTypes to JSON Schemas");
    }
    Map<String, Schema> parsed = new HashMap<>();
    for (String eventType : bySchema.fieldNames()) {
      if (!(bySchema.getValue(eventType) instanceof JsonObject schema)) {
        throw wrong(name, "schemas." + eventType, "must be a JSON Schema (an object)");
      }
      // Checked against the draft 2020-12 meta-schema (bundled with the validator): the validator itself would take
      // a wrong keyword value and then match everything.
      List<Error> errors = metaSchema.validate(schema.encode(), InputFormat.JSON);
      if (!errors.isEmpty()) {
        throw wrong(name, "schemas." + eventType, "is not a valid JSON Schema: " + errors.get(0));
      }
      Schema compiled = registry.getSchema(schema.encode(), InputFormat.JSON);
      compiled.initializeValidators();
      parsed.put(eventType, compiled);
    }
    if (options.containsKey(NamespaceHistory.OPTION)) {
      // The persistence role applies it; checked here too, so that a node without that role refuses it as well.
      NamespaceHistory.window(name, options.getValue(NamespaceHistory.OPTION));
    }
    boolean presence = flag(name, options, "presence");
    boolean joinLeave = flag(name, options, "joinLeave");
    if (!presence && options.containsKey("joinLeave")) {
      throw wrong(name, "joinLeave", "has no effect with presence false: leave it out");
    }
    NamespaceRate rate = NamespaceRate.parse(name, options);
    Object anonymous = options.getValue("anonymous", Boolean.FALSE);
    if (!(anonymous instanceof Boolean anonymousOn)) {
      throw wrong(name, "anonymous", "must be true or false");
    }
    return new NamespaceOptions("clients".equals(publish), signalsOn, bytes, parsed, hooks,
        presence, presence && joinLeave, rate.perMinute(), rate.burst(), anonymousOn);
  }

  /** A true-or-false option, true when absent. */
  private static boolean flag(String name, JsonObject options, String option) {
    Object value = options.getValue(option, Boolean.TRUE);
    if (!(value instanceof Boolean on)) {
      throw wrong(name, option, "must be true or false");
    }
    return on;
  }

  static IllegalArgumentException wrong(String namespace, String option, String what) {
    return new IllegalArgumentException("namespace '" + namespace + "': option '" + option + "' " + what);
  }

  /** {@code json} with every object's keys sorted, so equal configurations hash alike whatever the files' order. */
  private static Object canonical(Object json) {
    if (json instanceof JsonObject object) {
      JsonObject sorted = new JsonObject();
      new TreeMap<>(object.getMap()).keySet().forEach(key -> sorted.put(key, canonical(object.getValue(key))));
      return sorted;
    }
    if (json instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(value -> copy.add(canonical(value)));
      return copy;
    }
    return json;
  }

  private static String digest(Object canonical) {
    try {
      byte[] text = ((JsonObject) canonical).encode().getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
