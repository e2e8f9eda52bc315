package dev.switchboard.auth;

import dev.switchboard.protocol.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The auth role's meters (docs/ARCHITECTURE.md, Metrics): refused tokens by reason, and failures of the rate
 * limiter's store. The reasons are a closed set, mapped from {@link TokenVerifier}'s refusal texts; the token and its
 * claims never become a label.
 */
public final class AuthMetrics {

  /** TokenVerifier's refusal texts and their {@code reason} labels; any other text is {@code other}. */
  private static final Map<String, String> REASONS = new LinkedHashMap<>();

  static {
    REASONS.put("no token", "missing");
    REASONS.put("invalid token", "invalid");
    REASONS.put("unsupported algorithm", "algorithm");
    REASONS.put("unknown key id", "unknown_key");
    REASONS.put("token expired", "expired");
    REASONS.put("token not yet valid", "not_yet_valid");
    REASONS.put(AuthVerticle.TOKEN_REVOKED, "revoked");
    REASONS.put("wrong issuer", "issuer");
    REASONS.put("wrong audience", "audience");
    REASONS.put("token has no exp", "claims");
    REASONS.put("invalid exp claim", "claims");
    REASONS.put("token has no sub", "claims");
    REASONS.put("sessions claim must be a string or an array of strings", "claims");
    REASONS.put("publish claim must be a string or an array of strings", "claims");
    REASONS.put("a session token cannot authenticate a connection", "claims");
    REASONS.put("a session token needs a session claim naming one session", "claims");
    REASONS.put("a session token's publish claim must be a boolean", "claims");
  }

  private final Map<String, Counter> failures = new LinkedHashMap<>();
  private final Counter otherFailures;
  private final Counter storeErrors;

  public AuthMetrics(MeterRegistry registry) {
    Map<String, Counter> byLabel = new LinkedHashMap<>();
    REASONS.forEach((text, label) -> failures.put(text, byLabel.computeIfAbsent(label, l -> counter(registry, l))));
    otherFailures = counter(registry, "other");
    storeErrors = Meters.storeErrors(registry, "rate_limits");
  }

  /** Meters that record nothing. */
  public static AuthMetrics none() {
    return new AuthMetrics(Meters.none());
  }

  private static Counter counter(MeterRegistry registry, String reason) {
    return Meters.counter(registry, "switchboard.auth.failures", "tokens refused, by reason",
        Tags.of("reason", reason));
  }

  /** A token was refused with {@code message}, one of {@link TokenVerifier}'s refusal texts. */
  void refused(String message) {
    failures.getOrDefault(message, otherFailures).increment();
  }

  /** The rate limiter's store failed (the publish was allowed). */
  void limiterFailed() {
    storeErrors.increment();
  }
}
