package dev.switchboard.realtime.hook;

import io.vertx.core.json.JsonObject;

import io.vertx.core.json.JsonArray;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One backend hook of the configuration (docs/PROTOCOL.md, Backend hooks): where Switchboard posts, how long it waits,
 * how many calls may be in flight at once (node-wide), what a failure means, and how long an allow answer is reused.
 * Built once at start and shared by every loop.
 */
public final class HookTarget {

  static final long DEFAULT_TIMEOUT_MS = 1000;
  static final int DEFAULT_MAX_CONCURRENT = 64;
  private static final Set<String> OPTIONS = Set.of("url", "timeoutMs", "maxConcurrent", "onFailure", "cacheSec",
      "headers");
  /** What a connect hook forwards unless its {@code headers} option says otherwise. */
  static final List<String> DEFAULT_CONNECT_HEADERS = List.of("cookie");
  static final int MAX_HEADERS = 16;
  private static final String HEADER_NAME = "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}";

  final HookKind kind;
  final URI url;
  final long timeoutMs;
  final int maxConcurrent;
  /** Whether a hook that fails (times out, errs, is busy) lets the request through; refused by default. */
  final boolean allowOnFailure;
  /**
   * How long an allow answer is reused: for the same user and session (subscribe), for the same forwarded headers
   * (connect, and never past the answer's {@code exp}); 0: never.
   */
  final long cacheMs;
  /** The request headers a connect hook is sent, lower case (empty for other hooks). */
  final List<String> headers;
  /** Calls in flight, over every loop of the node. */
  final AtomicInteger inFlight = new AtomicInteger();

  private HookTarget(HookKind kind, URI url, long timeoutMs, int maxConcurrent, boolean allowOnFailure,
                     long cacheMs, List<String> headers) {
    this.kind = kind;
    this.headers = List.copyOf(headers);
    this.url = url;
    this.timeoutMs = timeoutMs;
    this.maxConcurrent = maxConcurrent;
    this.allowOnFailure = allowOnFailure;
    this.cacheMs = cacheMs;
  }

  /**
   * The hook {@code json} describes; {@code where} names it in errors ({@code hooks.publish},
   * {@code namespace 'doc': hooks.subscribe}).
   */
  public static HookTarget parse(HookKind kind, Object json, String where) {
    if (!(json instanceof JsonObject options)) {
      throw new IllegalArgumentException(where + " must be an object with at least \"url\"");
    }
    for (String option : options.fieldNames()) {
      if (!OPTIONS.contains(option)) {
        throw wrong(where, option, "is not an option (url, timeoutMs, maxConcurrent, onFailure, cacheSec, headers)");
      }
    }
    URI url;
    try {
      url = URI.create(String.valueOf(options.getValue("url")));
    } catch (IllegalArgumentException bad) {
      url = null;
    }
    if (url == null || !Set.of("http", "https").contains(url.getScheme()) || url.getHost() == null) {
      throw wrong(where, "url", "must be an http:// or https:// URL");
    }
    Object timeout = options.getValue("timeoutMs", DEFAULT_TIMEOUT_MS);
    if (!(timeout instanceof Number ms) || ms.longValue() < 1 || ms.longValue() > 30_000) {
      throw wrong(where, "timeoutMs", "must be 1-30000");
    }
    Object concurrent = options.getValue("maxConcurrent", DEFAULT_MAX_CONCURRENT);
    if (!(concurrent instanceof Integer max) || max < 1) {
      throw wrong(where, "maxConcurrent", "must be a whole number of at least 1");
    }
    Object onFailure = options.getValue("onFailure", "refuse");
    if (!"refuse".equals(onFailure) && !"allow".equals(onFailure)) {
      throw wrong(where, "onFailure", "must be \"refuse\" or \"allow\"");
    }
    if (kind == HookKind.CONNECT && "allow".equals(onFailure)) {
      throw wrong(where, "onFailure", "must be \"refuse\" for a connect hook: without its answer there is no user");
    }
    Object cache = options.getValue("cacheSec", 0);
    if (!(cache instanceof Number sec) || sec.doubleValue() < 0 || (kind == HookKind.PUBLISH && sec.doubleValue() > 0)) {
      throw wrong(where, "cacheSec", kind == HookKind.PUBLISH ? "applies to subscribe and connect hooks only"
          : "must be a number of seconds, 0 or more");
    }
    return new HookTarget(kind, url, ms.longValue(), max, "allow".equals(onFailure),
        Math.round(sec.doubleValue() * 1000), headers(kind, options.getValue("headers"), where));
  }

  /** A connect hook's {@code headers}: names of request headers, {@code ["Cookie"]} when not given. */
  private static List<String> headers(HookKind kind, Object json, String where) {
    if (kind != HookKind.CONNECT) {
      if (json != null) {
        throw wrong(where, "headers", "applies to the connect hook only");
      }
      return List.of();
    }
    if (json == null) {
      return DEFAULT_CONNECT_HEADERS;
    }
    if (!(json instanceof JsonArray names) || names.isEmpty() || names.size() > MAX_HEADERS) {
      throw wrong(where, "headers", "must be a list of 1-" + MAX_HEADERS + " request header names");
    }
    List<String> headers = new ArrayList<>();
    for (Object name : names) {
      if (!(name instanceof String header) || !header.matches(HEADER_NAME)) {
        throw wrong(where, "headers", "must name request headers (such as \"Cookie\"), not " + name);
      }
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.equals("authorization")) {
        throw wrong(where, "headers", "cannot forward Authorization: a request with a token is checked as a token");
      }
      if (!headers.contains(lower)) {
        headers.add(lower);
      }
    }
    return headers;
  }

  /** The request headers a connect hook is sent, lower case. */
  public List<String> forwardedHeaders() {
    return headers;
  }

  /** Whether this connect hook forwards cookies, so a page of any origin could use a user's session. */
  public boolean trustsCookies() {
    return headers.contains("cookie");
  }

  private static IllegalArgumentException wrong(String where, String option, String what) {
    return new IllegalArgumentException(where + ": option '" + option + "' " + what);
  }

  @Override
  public String toString() {
    return kind.label() + " hook " + url.getScheme() + "://" + url.getHost() + ":" + url.getPort();
  }
}
