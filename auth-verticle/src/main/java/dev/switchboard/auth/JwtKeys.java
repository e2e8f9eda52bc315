package dev.switchboard.auth;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.impl.jose.JWK;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The keys tokens are checked against (and dev tokens signed with): the one place that turns settings into
 * vertx-auth-jwt keys and the list of algorithms a token header may name.
 *
 * <p>Each key verifies one family only, which is what refuses algorithm confusion: the HS secret is registered for
 * HS256/384/512, an RSA key for RS256 (a JWKS entry may name RS384 or RS512), an EC key for the ES algorithm of its
 * curve. vertx-auth-jwt looks keys up by the token's {@code alg}, so an HS token is never checked against the bytes
 * of a public key, and an RS token never against an EC key. Immutable: a JWKS refresh builds a new instance
 * ({@link #withJwks}).
 */
public final class JwtKeys {

  private static final Logger LOG = LoggerFactory.getLogger(JwtKeys.class);

  static final Set<String> HMAC_ALGORITHMS = Set.of("HS256", "HS384", "HS512");
  private static final Set<String> RSA_ALGORITHMS = Set.of("RS256", "RS384", "RS512");
  /** RFC 7518 section 3.4: the curve fixes the algorithm. */
  private static final Map<String, String> EC_ALGORITHMS = Map.of("P-256", "ES256", "P-384", "ES384", "P-521", "ES512");
  private static final Map<String, ECParameterSpec> CURVES = Map.of("P-256", curve("secp256r1"),
      "P-384", curve("secp384r1"), "P-521", curve("secp521r1"));
  /** RFC 7518 section 3.3: an RSA key must have at least 2048 bits. */
  private static final int MIN_RSA_BITS = 2048;
  /** RFC 7468 section 2: PEM base64 lines hold 64 characters. */
  private static final int PEM_LINE_LENGTH = 64;
  private static final String DEV_TOKEN_ALGORITHM = "HS256";
  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

  /** A key as tokens address it: its algorithm and {@code kid}; a {@code null} kid matches any token kid. */
  private record KeyId(String algorithm, String kid) {
    @Override
    public String toString() {
      return kid == null ? algorithm : algorithm + " kid=" + kid;
    }
  }

  private final Vertx vertx;
  private final String secret;
  private final List<PubSecKeyOptions> pemKeys;
  private final List<JsonObject> jwks;
  private final Set<KeyId> ids = new HashSet<>();
  private final Set<String> algorithms;
  private final JWTAuth provider;

  private JwtKeys(Vertx vertx, String secret, List<PubSecKeyOptions> pemKeys, List<JsonObject> jwks) {
    this.vertx = vertx;
    this.secret = secret;
    this.pemKeys = pemKeys;
    this.jwks = jwks;
    // Checks signatures only: TokenVerifier checks exp itself, because the library accepts a token without one.
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(new JWTOptions().setIgnoreExpiration(true));
    if (secret != null) {
      for (String algorithm : HMAC_ALGORITHMS) {
        options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(secret));
        ids.add(new KeyId(algorithm, null));
      }
    }
    for (PubSecKeyOptions key : pemKeys) {
      options.addPubSecKey(key);
      ids.add(new KeyId(key.getAlgorithm(), null));
    }
    for (JsonObject jwk : jwks) {
      options.addJwk(jwk);
      ids.add(new KeyId(jwk.getString("alg"), jwk.getString("kid")));
    }
    this.algorithms = ids.stream().map(KeyId::algorithm).collect(Collectors.toUnmodifiableSet());
    this.provider = JWTAuth.create(vertx, options);
  }

  /**
   * The keys configured directly: the HS secret and the PEM file, read now. A JWKS is added to them by
   * {@link JwtKeyRing}. Fails with a message naming the setting when a key cannot be used.
   */
  public static JwtKeys from(Vertx vertx, AuthConfig config) {
    if (!config.hasKey()) {
      throw new IllegalArgumentException("no JWT key configured");
    }
    List<PubSecKeyOptions> pemKeys = List.of();
    if (config.publicKeyFile() != null) {
      try {
        pemKeys = parsePem(Files.readString(Path.of(config.publicKeyFile()), StandardCharsets.US_ASCII));
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalArgumentException("SB_JWT_PUBLIC_KEY_FILE " + config.publicKeyFile() + ": " + e.getMessage());
      }
    }
    return new JwtKeys(vertx, config.jwtSecret(), pemKeys, List.of());
  }

  /**
   * These keys with the RSA and EC signing keys of {@code jwkSet} in place of any earlier JWKS. Entries that cannot
   * be used (other key types, encryption keys, an {@code alg} that does not fit the key) are skipped with a warning;
   * a set without one usable key is refused with an {@link IllegalArgumentException}.
   */
  public JwtKeys withJwks(JsonObject jwkSet) {
    if (!(jwkSet.getValue("keys") instanceof JsonArray entries)) {
      throw new IllegalArgumentException("not a JWKS: no \"keys\" array");
    }
    List<JsonObject> usable = new ArrayList<>();
    Set<KeyId> seen = new HashSet<>();
    for (Object entry : entries) {
      try {
        JsonObject jwk = publicSigningJwk(entry);
        if (jwk == null) {
          continue;
        }
        KeyId id = new KeyId(jwk.getString("alg"), jwk.getString("kid"));
        if (id.kid() != null && !seen.add(id)) {
          // vertx-auth-jwt would silently keep only the last of them.
          throw new IllegalArgumentException("another key has the same kid and alg");
        }
        usable.add(jwk);
      } catch (RuntimeException unusable) {
        LOG.warn("JWKS key {} skipped: {}", kidOf(entry), unusable.getMessage());
      }
    }
    if (usable.isEmpty()) {
      throw new IllegalArgumentException("the JWKS has no usable RSA or EC signing key");
    }
    return new JwtKeys(vertx, secret, pemKeys, usable);
  }

  /** Whether a token may name {@code algorithm} at all, whatever keys are configured; {@code none} never is. */
  static boolean supported(String algorithm) {
    return HMAC_ALGORITHMS.contains(algorithm) || RSA_ALGORITHMS.contains(algorithm)
        || EC_ALGORITHMS.containsValue(algorithm);
  }

  /** The {@code alg} header values some key here verifies. */
  public Set<String> algorithms() {
    return algorithms;
  }

  /** Whether a key here may verify a token naming {@code algorithm} and {@code kid} ({@code null}: none named). */
  public boolean knows(String algorithm, String kid) {
    if (kid == null) {
      return algorithms.contains(algorithm);
    }
    return ids.contains(new KeyId(algorithm, null)) || ids.contains(new KeyId(algorithm, kid));
  }

  /** The algorithm dev tokens are signed with, or {@code null} without an HS secret to sign them with. */
  public String signingAlgorithm() {
    return secret == null ? null : DEV_TOKEN_ALGORITHM;
  }

  /** The vertx-auth-jwt provider holding exactly these keys; it checks signatures only, not expiry. */
  public JWTAuth provider() {
    return provider;
  }

  /** The public keys of a PEM text: one or more SubjectPublicKeyInfo blocks ({@code BEGIN PUBLIC KEY}). */
  static List<PubSecKeyOptions> parsePem(String text) {
    if (text.contains("PRIVATE KEY-----")) {
      throw new IllegalArgumentException("holds a private key; give the public key only"
          + " (openssl pkey -in private.pem -pubout)");
    }
    List<PubSecKeyOptions> keys = new ArrayList<>();
    Matcher block = PEM_BLOCK.matcher(text);
    while (block.find()) {
      PublicKey key = switch (block.group(1)) {
        case "PUBLIC KEY" -> subjectPublicKey(Base64.getMimeDecoder().decode(block.group(2)));
        case "CERTIFICATE" -> throw new IllegalArgumentException("holds a certificate; give its public key"
            + " (openssl x509 -in cert.pem -pubkey -noout)");
        default -> throw new IllegalArgumentException("holds a " + block.group(1) + " block; expected BEGIN PUBLIC KEY"
            + " (for PKCS#1: openssl rsa -RSAPublicKey_in -in key.pem -pubout)");
      };
      // Re-encoded, so the library reads one canonical SubjectPublicKeyInfo whatever the file's layout.
      String spki = "-----BEGIN PUBLIC KEY-----\n"
          + Base64.getMimeEncoder(PEM_LINE_LENGTH, new byte[] {'\n'}).encodeToString(key.getEncoded())
          + "\n-----END PUBLIC KEY-----\n";
      keys.add(new PubSecKeyOptions().setAlgorithm(algorithmOf(key)).setBuffer(spki));
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("holds no BEGIN PUBLIC KEY block");
    }
    return keys;
  }

  /** A JWKS entry reduced to its public signing members, or {@code null} for a key meant for encryption. */
  private static JsonObject publicSigningJwk(Object entry) {
    if (!(entry instanceof JsonObject jwk)) {
      throw new IllegalArgumentException("not a JSON object");
    }
    if (jwk.getValue("use") != null && !"sig".equals(jwk.getValue("use"))) {
      return null;
    }
    Object kid = jwk.getValue("kid");
    if (kid != null && !(kid instanceof String)) {
      throw new IllegalArgumentException("kid is not a string");
    }
    String kty = jwk.getString("kty");
    // Only public members are copied: a private exponent in a published set must not reach any signer.
    JsonObject key = new JsonObject().put("kty", kty);
    String algorithm;
    if ("RSA".equals(kty)) {
      algorithm = jwk.getString("alg", "RS256");
      if (!RSA_ALGORITHMS.contains(algorithm)) {
        throw new IllegalArgumentException("alg " + algorithm + " is not accepted for an RSA key");
      }
      key.put("n", jwk.getString("n")).put("e", jwk.getString("e"));
    } else if ("EC".equals(kty)) {
      algorithm = EC_ALGORITHMS.get(jwk.getString("crv"));
      if (algorithm == null) {
        throw new IllegalArgumentException("curve " + jwk.getString("crv") + " is not accepted");
      }
      if (jwk.getValue("alg") != null && !algorithm.equals(jwk.getValue("alg"))) {
        throw new IllegalArgumentException("alg " + jwk.getValue("alg") + " does not fit curve "
            + jwk.getString("crv"));
      }
      key.put("crv", jwk.getString("crv")).put("x", jwk.getString("x")).put("y", jwk.getString("y"));
    } else {
      throw new IllegalArgumentException("key type " + kty + " is not accepted; only RSA and EC public keys are");
    }
    key.put("alg", algorithm);
    if (kid != null) {
      key.put("kid", kid);
    }
    PublicKey publicKey = new JWK(key).publicKey();
    if (publicKey == null) {
      throw new IllegalArgumentException("no public key material");
    }
    algorithmOf(publicKey);
    return key;
  }

  /** The algorithm a PEM key verifies: RS256 for RSA, the curve's ES algorithm for EC. */
  private static String algorithmOf(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
        throw new IllegalArgumentException("RSA key of " + rsa.getModulus().bitLength() + " bits; at least "
            + MIN_RSA_BITS + " are required");
      }
      return "RS256";
    }
    if (key instanceof ECPublicKey ec) {
      ECParameterSpec params = ec.getParams();
      for (Map.Entry<String, ECParameterSpec> curve : CURVES.entrySet()) {
        ECParameterSpec known = curve.getValue();
        if (known.getCurve().equals(params.getCurve()) && known.getOrder().equals(params.getOrder())
            && known.getGenerator().equals(params.getGenerator())) {
          return EC_ALGORITHMS.get(curve.getKey());
        }
      }
      throw new IllegalArgumentException("EC key on a curve other than P-256, P-384 or P-521");
    }
    throw new IllegalArgumentException(key.getAlgorithm() + " key; only RSA and EC keys are accepted");
  }

  private static PublicKey subjectPublicKey(byte[] der) {
    for (String type : List.of("RSA", "EC")) {
      try {
        return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException notThisType) {
        // The SubjectPublicKeyInfo names its algorithm; trying both is simpler than reading the OID.
      }
    }
    throw new IllegalArgumentException("not an RSA or EC public key");
  }

  private static ECParameterSpec curve(String name) {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec(name));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM lacks the " + name + " curve", e);
    }
  }

  private static String kidOf(Object entry) {
    return entry instanceof JsonObject jwk && jwk.getValue("kid") instanceof String kid ? kid : "<no kid>";
  }

  @Override
  public String toString() {
    return "JwtKeys" + ids.stream().map(KeyId::toString).collect(Collectors.toCollection(TreeSet::new));
  }
}
