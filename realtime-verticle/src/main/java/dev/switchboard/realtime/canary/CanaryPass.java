package dev.switchboard.realtime.canary;

import dev.switchboard.protocol.Principal;
import io.vertx.core.net.SocketAddress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * How the canary's own subscriber enters its edge (docs/ARCHITECTURE.md, Delivery canary): a secret of 256 random bits
 * made when the edge starts, kept in this object only (never configured, logged or sent anywhere but over loopback),
 * presented as the connection's token. The edge gives {@link Principal#INTERNAL} to a WebSocket that presents it from a
 * loopback peer (the TCP peer itself, never a forwarded address); anything else goes to the auth role as a token, where
 * it is just an invalid one.
 *
 * <p>Thread-safe (immutable).
 */
public final class CanaryPass {

  private static final int SECRET_BYTES = 32;

  private final byte[] secret;
  private final String presented;

  public CanaryPass() {
    byte[] random = new byte[SECRET_BYTES];
    new SecureRandom().nextBytes(random);
    this.presented = "sb-canary." + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    this.secret = presented.getBytes(StandardCharsets.UTF_8);
  }

  /** What the canary's subscriber presents as its bearer token. */
  String token() {
    return presented;
  }

  /**
   * The server's own principal when {@code token} is this edge's secret and {@code peer} a loopback address; null
   * otherwise (the token is then verified as any client's). Compared in constant time.
   */
  public Principal admit(String token, SocketAddress peer) {
    if (token == null || !isLoopback(peer)) {
      return null;
    }
    return MessageDigest.isEqual(secret, token.getBytes(StandardCharsets.UTF_8)) ? Principal.INTERNAL : null;
  }

  private static boolean isLoopback(SocketAddress peer) {
    if (peer == null || !peer.isInetSocket() || peer.hostAddress() == null) {
      return false;
    }
    try {
      // hostAddress is numeric, so this parses it without asking DNS.
      return InetAddress.getByName(peer.hostAddress()).isLoopbackAddress();
    } catch (UnknownHostException notAnAddress) {
      return false;
    }
  }
}
