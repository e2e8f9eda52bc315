package dev.switchboard.realtime.http;

import dev.switchboard.protocol.Principal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The server API key (docs/PROTOCOL.md, Authentication and REST): an application's backend sends it as
 * {@code X-Api-Key} on REST requests and may then publish to, read the history of, and read the presence of any
 * session, with no per-user rate limit.
 */
public final class ServerApiKey {

  public static final String HEADER = "X-Api-Key";

  /** The caller a valid key stands for: every session, no user, never expiring. */
  static final Principal PRINCIPAL = new Principal(null, null, null, List.of("*"), List.of("*"), Long.MAX_VALUE);

  private final byte[] keyDigest;

  /** {@code key} null means no key is configured and none is accepted. */
  public ServerApiKey(String key) {
    this.keyDigest = key == null ? null : sha256(key);
  }

  boolean configured() {
    return keyDigest != null;
  }

  /**
   * Compares in constant time; hashing first means neither the content nor the length of the key shows in the time
   * taken.
   */
  boolean matches(String presented) {
    return keyDigest != null && presented != null && MessageDigest.isEqual(keyDigest, sha256(presented));
  }

  public static boolean isServer(Principal principal) {
    return principal == PRINCIPAL;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  @Override
  public String toString() {
    return "ServerApiKey[" + (configured() ? "<redacted>" : "<unset>") + "]";
  }
}
