package dev.switchboard.realtime.hook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The signature a backend checks on every hook call (docs/PROTOCOL.md, Backend hooks):
 * {@code X-Switchboard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with SB_HOOK_SECRET>}.
 */
public final class HookSignature {

  public static final String HEADER = "X-Switchboard-Signature";

  private HookSignature() {
  }

  /** The header's value for {@code body} sent at {@code unixSeconds}. */
  public static String sign(byte[] secret, long unixSeconds, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] digest = mac.doFinal((unixSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
      return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
    }
  }
}
