package dev.switchboard.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/** RSA and EC key pairs made for the test run, and the PEM and JWK forms a deployment would configure them in. */
final class TestKeys {

  static final KeyPair RSA = rsa(2048);
  static final KeyPair OTHER_RSA = rsa(2048);
  static final KeyPair EC = ec("secp256r1");
  static final KeyPair OTHER_EC = ec("secp256r1");

  private TestKeys() {
  }

  static KeyPair rsa(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair ec(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The key as {@code openssl pkey -pubout} writes it: SubjectPublicKeyInfo in 64-column base64. */
  static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** The public JWK of {@code key} with {@code kid} (RFC 7518 section 6), without {@code alg}. */
  static JsonObject jwk(PublicKey key, String kid) {
    JsonObject jwk = new JsonObject().put("kid", kid).put("use", "sig");
    if (key instanceof RSAPublicKey rsa) {
      return jwk.put("kty", "RSA").put("n", base64Url(rsa.getModulus(), 0))
          .put("e", base64Url(rsa.getPublicExponent(), 0));
    }
    ECPublicKey ec = (ECPublicKey) key;
    return jwk.put("kty", "EC").put("crv", "P-256").put("x", base64Url(ec.getW().getAffineX(), 32))
        .put("y", base64Url(ec.getW().getAffineY(), 32));
  }

  /** A key set; entries are usually JWKs, anything else for tests of what a set may hold. */
  static JsonObject jwks(Object... keys) {
    return new JsonObject().put("keys", new JsonArray(Arrays.asList(keys)));
  }

  static Path write(Path dir, String name, String content) {
    try {
      return Files.writeString(dir.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Big-endian unsigned bytes, left-padded to {@code length} when it is not 0. */
  private static String base64Url(BigInteger value, int length) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    if (length > bytes.length) {
      byte[] padded = new byte[length];
      System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
      bytes = padded;
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
