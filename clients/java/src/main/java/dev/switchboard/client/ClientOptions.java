package dev.switchboard.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * A client's configuration: immutable, validated when built, with the defaults of the JavaScript client. Build one
 * with {@link #builder(String)}.
 *
 * <pre>
 * ClientOptions options = ClientOptions.builder("https://sb.example.com")
 *     .token(reason -&gt; myBackend.fetchSwitchboardToken())   // a CompletionStage&lt;String&gt;
 *     .listener(myListener)
 *     .callbackExecutor(ContextCompat.getMainExecutor(context))
 *     .positionStore(new FilePositionStore(new File(context.getFilesDir(), "switchboard.positions").toPath()))
 *     .build();
 * </pre>
 */
public final class ClientOptions {

  final HttpUrl baseUrl;
  final TokenSupplier tokens;
  final SwitchboardListener listener;
  final Executor callbackExecutor;
  final PositionStore positionStore;
  final List<Transport> transports;
  final OkHttpClient okHttpClient;
  final long backoffBaseMs;
  final long backoffMaxMs;
  final long recoveryMaxMs;
  final long recoveryWindowMs;
  final int fallbackAfter;
  final int fallbackAfterWorked;
  final long upgradeProbeMs;
  final long connectTimeoutMs;
  final long pongTimeoutMs;
  final long ackTimeoutMs;
  final long publishTimeoutMs;
  final long refreshBeforeMs;
  final long backgroundGraceMs;

  private ClientOptions(Builder b) {
    HttpUrl url = HttpUrl.parse(b.url);
    if (url == null) {
      throw new IllegalArgumentException("not an http(s) URL: " + b.url);
    }
    this.baseUrl = url;
    this.tokens = Objects.requireNonNull(b.tokens, "a token or token supplier is required");
    this.listener = b.listener;
    this.callbackExecutor = b.callbackExecutor;
    this.positionStore = b.positionStore;
    if (b.transports.isEmpty()) {
      throw new IllegalArgumentException("at least one transport is required");
    }
    List<Transport> ordered = new ArrayList<>(b.transports);
    Collections.sort(ordered);
    this.transports = Collections.unmodifiableList(ordered);
    this.okHttpClient = b.okHttpClient;
    this.backoffBaseMs = positive(b.backoffBase, "backoffBase");
    this.backoffMaxMs = positive(b.backoffMax, "backoffMax");
    this.recoveryMaxMs = positive(b.recoveryMax, "recoveryMax");
    this.recoveryWindowMs = positive(b.recoveryWindow, "recoveryWindow");
    this.fallbackAfter = Math.max(1, b.fallbackAfter);
    this.fallbackAfterWorked = Math.max(1, b.fallbackAfterWorked);
    this.upgradeProbeMs = positive(b.upgradeProbe, "upgradeProbe");
    this.connectTimeoutMs = positive(b.connectTimeout, "connectTimeout");
    this.pongTimeoutMs = b.pongTimeout == null ? -1 : positive(b.pongTimeout, "pongTimeout");
    this.ackTimeoutMs = positive(b.ackTimeout, "ackTimeout");
    this.publishTimeoutMs = positive(b.publishTimeout, "publishTimeout");
    this.refreshBeforeMs = positive(b.refreshBefore, "refreshBefore");
    this.backgroundGraceMs = b.backgroundGrace == null ? -1 : b.backgroundGrace.toMillis();
  }

  public static Builder builder(String url) {
    return new Builder(url);
  }

  private static long positive(Duration duration, String name) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration");
    }
    return duration.toMillis();
  }

  /** Never prints the token. */
  @Override
  public String toString() {
    return "ClientOptions{" + baseUrl + ", transports " + transports + "}";
  }

  /** Collects the options; every one but the URL and the token has a default. */
  public static final class Builder {
    private final String url;
    private TokenSupplier tokens;
    private SwitchboardListener listener = new SwitchboardListener() { };
    private Executor callbackExecutor;
    private PositionStore positionStore = new InMemoryPositionStore();
    private List<Transport> transports = Arrays.asList(Transport.values());
    private OkHttpClient okHttpClient;
    private Duration backoffBase = Duration.ofMillis(500);
    private Duration backoffMax = Duration.ofSeconds(30);
    private int fallbackAfter = 2;
    private int fallbackAfterWorked = 6;
    private Duration upgradeProbe = Duration.ofSeconds(15);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration pongTimeout;
    private Duration recoveryMax = Duration.ofSeconds(2);
    private Duration recoveryWindow = Duration.ofSeconds(60);
    private Duration ackTimeout = Duration.ofSeconds(10);
    private Duration publishTimeout = Duration.ofSeconds(60);
    private Duration refreshBefore = Duration.ofSeconds(60);
    private Duration backgroundGrace;

    private Builder(String url) {
      this.url = Objects.requireNonNull(url, "url");
    }

    /** Where tokens come from: asked before the first connection, ahead of {@code exp}, and after a refusal. */
    public Builder token(TokenSupplier supplier) {
      this.tokens = supplier;
      return this;
    }

    /** A fixed token; the client cannot renew it, so a refusal stops it until {@link SwitchboardClient#setToken}. */
    public Builder token(String token) {
      this.tokens = TokenSupplier.fixed(Objects.requireNonNull(token, "token"));
      return this;
    }

    public Builder listener(SwitchboardListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Where the listener's methods and the futures' completions run: Android's main thread
     * ({@code ContextCompat.getMainExecutor(context)}), a pool, ... (calls are serialized whatever it is). Default: a
     * thread of the client's own, ended by {@code close()}.
     */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Where positions are kept across process restarts; default in memory. */
    public Builder positionStore(PositionStore store) {
      this.positionStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The transports to use (best first whatever the order given); default WebSocket then SSE. */
    public Builder transports(Transport... transports) {
      this.transports = Arrays.asList(transports);
      return this;
    }

    /** An OkHttpClient to share (its dispatcher and pool); the client then leaves its threads to its owner. */
    public Builder okHttpClient(OkHttpClient client) {
      this.okHttpClient = client;
      return this;
    }

    /** Reconnect backoff: attempt n waits a random time below {@code min(max, base * 2^n)}; 500 ms and 30 s. */
    public Builder backoff(Duration base, Duration max) {
      this.backoffBase = base;
      this.backoffMax = max;
      return this;
    }

    /**
     * After an open connection drops, delays stay below {@code max} (2 s) for {@code window} (60 s), so the client is
     * back within about 2 s of a restarted node while the jitter still spreads a crowd; a second drop in a row of a
     * connection up less than 5 s ends that early, and the delays grow again.
     */
    public Builder recovery(Duration max, Duration window) {
      this.recoveryMax = max;
      this.recoveryWindow = window;
      return this;
    }

    /** Failed connection attempts before stepping down to SSE: 2, or 6 when WebSocket has worked before. */
    public Builder fallbackAfter(int attempts, int attemptsOnceWorked) {
      this.fallbackAfter = attempts;
      this.fallbackAfterWorked = attemptsOnceWorked;
      return this;
    }

    /** While on SSE, a WebSocket is tried every half to whole of this (15 s). */
    public Builder upgradeProbe(Duration interval) {
      this.upgradeProbe = interval;
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * How long a {@code ping} waits for any frame before the connection counts as dead; by default the server's
     * {@code heartbeatSec} (5 s by default), so a silent drop is noticed within two intervals.
     */
    public Builder pongTimeout(Duration timeout) {
      this.pongTimeout = timeout;
      return this;
    }

    /** How long one publish attempt waits for its ack (10 s) before it is retried with the same key. */
    public Builder ackTimeout(Duration timeout) {
      this.ackTimeout = timeout;
      return this;
    }

    /** How long a publish keeps retrying (60 s) before its future fails. */
    public Builder publishTimeout(Duration timeout) {
      this.publishTimeout = timeout;
      return this;
    }

    /** A token is refreshed this long before its exp (60 s), at most a quarter of its remaining life before. */
    public Builder refreshBefore(Duration margin) {
      this.refreshBefore = margin;
      return this;
    }

    /**
     * After {@link SwitchboardClient#onBackground()}, close the connection once this has passed (positions stay
     * stored; {@code onForeground()} reconnects). Default: stay connected in the background.
     */
    public Builder closeInBackgroundAfter(Duration grace) {
      this.backgroundGrace = grace;
      return this;
    }

    public ClientOptions build() {
      return new ClientOptions(this);
    }
  }
}
