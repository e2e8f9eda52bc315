package dev.switchboard.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Holds the current token. With a {@link TokenSupplier} it fetches tokens on demand (first connection, after a
 * 4001/401) and refreshes them ahead of {@code exp}; a {@link TokenSupplier#fixed fixed} token is used as it is until
 * {@link #set} replaces it. Used on the client loop only; its futures complete there.
 */
final class TokenSource {

  /** After a failed refresh, try again this soon (never later than halfway to {@code exp}). */
  private static final long REFRESH_RETRY_MS = 5_000;

  private final TokenSupplier supplier;
  private final boolean canRefresh;
  private final ClientLoop loop;
  private final LoopTimer refreshTimer;
  private final long refreshBeforeMs;
  private final Consumer<String> onRefreshed;
  private final Consumer<SwitchboardException> onError;
  private String token;
  private long expiresAt = -1;
  private CompletableFuture<String> inFlight;
  private boolean active;
  private TokenSupplier.Reason nextReason = TokenSupplier.Reason.INITIAL;

  TokenSource(TokenSupplier supplier, ClientLoop loop, long refreshBeforeMs, Consumer<String> onRefreshed,
      Consumer<SwitchboardException> onError) {
    this.supplier = supplier;
    this.canRefresh = !(supplier instanceof TokenSupplier.FixedToken);
    this.loop = loop;
    this.refreshTimer = new LoopTimer(loop);
    this.refreshBeforeMs = refreshBeforeMs;
    this.onRefreshed = onRefreshed;
    this.onError = onError;
    if (!canRefresh) {
      remember(supplier.token(TokenSupplier.Reason.INITIAL).toCompletableFuture().join());
    }
  }

  /** How long to wait before refreshing: {@code refreshBeforeMs} ahead of exp, at most a quarter of what is left. */
  static long refreshDelay(long expiresAt, long now, long refreshBeforeMs) {
    long remaining = expiresAt - now;
    return remaining <= 0 ? 0 : remaining - Math.min(refreshBeforeMs, remaining / 4);
  }

  boolean canRefresh() {
    return canRefresh;
  }

  String current() {
    return token;
  }

  /** A usable token: the current one unless missing or past exp, else a fresh one from the supplier. */
  CompletableFuture<String> get() {
    boolean expired = expiresAt > 0 && expiresAt <= System.currentTimeMillis();
    if (token != null && !(expired && canRefresh)) {
      return CompletableFuture.completedFuture(token);
    }
    return fetch(nextReason);
  }

  /** Asks the supplier for a new token; concurrent callers share one call. */
  CompletableFuture<String> fetch(TokenSupplier.Reason reason) {
    if (!canRefresh) {
      CompletableFuture<String> answer = new CompletableFuture<>();
      if (token != null) {
        answer.complete(token);
      } else {
        answer.completeExceptionally(new SwitchboardException(ErrorCode.UNAUTHORIZED, "no token"));
      }
      return answer;
    }
    if (inFlight != null) {
      return inFlight;
    }
    CompletableFuture<String> fetching = new CompletableFuture<>();
    inFlight = fetching;
    CompletionStage<String> stage;
    try {
      stage = supplier.token(reason);
    } catch (RuntimeException e) {
      stage = failed(e);
    }
    stage.whenComplete((fresh, failure) -> loop.execute(() -> {
      inFlight = null;
      if (failure != null || fresh == null || fresh.isEmpty()) {
        fetching.completeExceptionally(SwitchboardException.of(ErrorCode.UNAUTHORIZED,
            failure == null ? "the token supplier returned no token" : "the token supplier failed: " + failure,
            failure));
        return;
      }
      nextReason = TokenSupplier.Reason.INITIAL;
      remember(fresh);
      fetching.complete(fresh);
    }));
    return fetching;
  }

  void set(String fresh) {
    remember(fresh);
  }

  /** The server refused the token: forget it so the next {@link #get} asks the supplier. */
  void invalidate() {
    if (canRefresh) {
      nextReason = TokenSupplier.Reason.UNAUTHORIZED;
      token = null;
      expiresAt = -1;
      refreshTimer.cancel();
    }
  }

  /** Refresh timers run only while the client wants to be connected. */
  void start() {
    active = true;
    schedule(-1);
  }

  void stop() {
    active = false;
    refreshTimer.cancel();
  }

  private void remember(String fresh) {
    token = fresh;
    expiresAt = Jwt.expiryMillis(fresh);
    schedule(-1);
  }

  private void schedule(long delayMs) {
    refreshTimer.cancel();
    if (!active || !canRefresh || expiresAt < 0) {
      return;
    }
    long wait = delayMs >= 0 ? delayMs : refreshDelay(expiresAt, System.currentTimeMillis(), refreshBeforeMs);
    refreshTimer.arm(wait, this::refresh);
  }

  private void refresh() {
    fetch(TokenSupplier.Reason.REFRESH).whenComplete((fresh, failure) -> {
      if (failure == null) {
        onRefreshed.accept(fresh);
        return;
      }
      onError.accept(failure instanceof SwitchboardException ? (SwitchboardException) failure
          : SwitchboardException.of(ErrorCode.UNAUTHORIZED, String.valueOf(failure), failure));
      // Keep trying while the old token holds; past exp the server closes with 4001 and the reconnect asks again.
      long left = expiresAt - System.currentTimeMillis();
      if (active && left > 0) {
        schedule(Math.min(REFRESH_RETRY_MS, left / 2));
      }
    });
  }

  private static CompletionStage<String> failed(Throwable failure) {
    CompletableFuture<String> stage = new CompletableFuture<>();
    stage.completeExceptionally(failure);
    return stage;
  }
}
