package dev.switchboard.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs test JWTs with the test nodes' secret, so a test can make exactly the token it needs (short-lived, expired). */
final class Tokens {

  private Tokens() {
  }

  /** A token for {@code sub}, allowed every session, expiring {@code ttlSec} from now (negative: already expired). */
  static String token(String sub, long ttlSec) {
    long exp = System.currentTimeMillis() / 1000 + ttlSec;
    String claims = "{\"sub\":\"" + sub + "\",\"name\":\"Name of " + sub + "\",\"sessions\":[\"*\"],\"publish\":[\"*\"],"
        + "\"exp\":" + exp + "}";
    String signingInput = encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + encode(claims);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(TestNode.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A supplier of hour-long tokens for {@code sub}. */
  static TokenSupplier hourLong(String sub) {
    return reason -> CompletableFuture.completedFuture(token(sub, 3600));
  }

  /** A supplier that counts its calls by reason and hands out tokens living {@code ttlSec}. */
  static final class Counting implements TokenSupplier {
    final AtomicInteger initial = new AtomicInteger();
    final AtomicInteger refresh = new AtomicInteger();
    final AtomicInteger unauthorized = new AtomicInteger();
    private final String sub;
    private final long ttlSec;
    private final boolean refuseRefresh;

    /** @param refuseRefresh fail every early refresh, so each token lives until the server ends it */
    Counting(String sub, long ttlSec, boolean refuseRefresh) {
      this.sub = sub;
      this.ttlSec = ttlSec;
      this.refuseRefresh = refuseRefresh;
    }

    @Override
    public CompletableFuture<String> token(Reason reason) {
      (reason == Reason.INITIAL ? initial : reason == Reason.REFRESH ? refresh : unauthorized).incrementAndGet();
      if (reason == Reason.REFRESH && refuseRefresh) {
        return CompletableFuture.failedFuture(new IllegalStateException("no refresh today"));
      }
      return CompletableFuture.completedFuture(Tokens.token(sub, ttlSec));
    }
  }

  private static String encode(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
