package dev.switchboard.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where the client gets its JWT: before the first connection, ahead of the token's {@code exp}, and after the server
 * refused one (4001 / 401). Called on the client's own thread: fetch a token asynchronously (a call to your backend)
 * and complete the stage; do not block.
 */
public interface TokenSupplier {

  /** Why a token is asked for. */
  enum Reason {
    /** No token yet (the first connection, or after the previous one was refused and dropped). */
    INITIAL,
    /** The current token expires soon. */
    REFRESH,
    /** The server refused the current token. */
    UNAUTHORIZED
  }

  CompletionStage<String> token(Reason reason);

  /** A fixed token, never refreshed (replace it with {@link SwitchboardClient#setToken}). */
  static TokenSupplier fixed(String token) {
    return new FixedToken(token);
  }

  /** A fixed token, told apart so that the client knows it cannot get a new one by itself. */
  final class FixedToken implements TokenSupplier {
    private final String token;

    FixedToken(String token) {
      this.token = token;
    }

    @Override
    public CompletionStage<String> token(Reason reason) {
      return CompletableFuture.completedFuture(token);
    }
  }
}
