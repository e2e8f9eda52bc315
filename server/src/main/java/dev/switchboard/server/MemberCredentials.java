package dev.switchboard.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.switchboard.server.EventBusTls.CA_FILE;
import static dev.switchboard.server.EventBusTls.CERT_FILE;
import static dev.switchboard.server.EventBusTls.KEY_FILE;

/**
 * The event bus TLS files, read once at start and checked for what would otherwise fail every handshake later,
 * silently splitting the cluster: the chain parses; the key is the unencrypted PKCS#8 key of the chain's first
 * certificate; that certificate may serve as TLS server and client alike (each member is both); and the chain
 * verifies, now, against the CA bundle, as the other members will verify it. A failure names the setting, the file
 * and the problem, never what the file holds.
 */
final class MemberCredentials {

  private static final Pattern PEM_BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----",
      Pattern.DOTALL);
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  /** The key algorithms whose PEM keys Vert.x reads, with a signature to prove a key belongs to a certificate. */
  private static final Map<String, String> SIGNATURES = Map.of(
      "RSA", "SHA256withRSA", "EC", "SHA256withECDSA");

  private MemberCredentials() {
  }

  static void check(Path certFile, Path keyFile, Path caFile) {
    List<X509Certificate> chain = certificates(CERT_FILE, certFile);
    List<X509Certificate> cas = certificates(CA_FILE, caFile);
    X509Certificate own = chain.get(0);
    String signature = SIGNATURES.get(own.getPublicKey().getAlgorithm());
    if (signature == null) {
      throw new IllegalArgumentException(CERT_FILE + " " + certFile + ": the certificate's key is "
          + own.getPublicKey().getAlgorithm() + "; the event bus takes RSA and EC keys");
    }
    requireKeyOf(own, privateKey(keyFile, own.getPublicKey().getAlgorithm()), signature, keyFile);
    requireBothEnds(own, certFile);
    requireIssuedBy(chain, cas, certFile, caFile);
  }

  private static List<X509Certificate> certificates(String setting, Path file) {
    List<X509Certificate> certificates = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certificates.add((X509Certificate) certificate);
      }
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException(setting + " " + file + " is not a file of PEM certificates");
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(setting + " " + file + " holds no certificate");
    }
    return certificates;
  }

  private static PrivateKey privateKey(Path file, String algorithm) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException(KEY_FILE + " " + file + " cannot be read as PEM text");
    }
    Matcher block = PEM_BLOCK.matcher(text);
    if (!block.find()) {
      throw new IllegalArgumentException(KEY_FILE + " " + file + " holds no PEM block");
    }
    String convert = "; convert it with: openssl pkey -in " + file + " -out " + file + ".pk8";
    switch (block.group(1)) {
      case "PRIVATE KEY" -> {
      }
      case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException(KEY_FILE + " " + file
          + " is encrypted; the node reads unencrypted PKCS#8 keys" + convert);
      case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new IllegalArgumentException(KEY_FILE + " " + file
          + " holds a PEM '" + block.group(1) + "' block; the node reads PKCS#8 ('PRIVATE KEY')" + convert);
      default -> throw new IllegalArgumentException(KEY_FILE + " " + file + " holds a PEM '" + block.group(1)
          + "' block, not a private key");
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(block.group(2).trim());
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(KEY_FILE + " " + file + " is not a PKCS#8 " + algorithm
          + " key, as the certificate's key is");
    }
  }

  /** Signs with the key and verifies with the certificate: the one proof that they are a pair. */
  private static void requireKeyOf(X509Certificate certificate, PrivateKey key, String algorithm, Path keyFile) {
    byte[] probe = "switchboard event bus".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      if (verifier.verify(signer.sign())) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // answered below
    }
    throw new IllegalArgumentException(KEY_FILE + " " + keyFile + " is not the key of the first certificate of "
        + CERT_FILE);
  }

  private static void requireBothEnds(X509Certificate certificate, Path certFile) {
    List<String> usages;
    try {
      usages = certificate.getExtendedKeyUsage();
    } catch (CertificateException e) {
      throw new IllegalArgumentException(CERT_FILE + " " + certFile + ": unreadable extended key usage");
    }
    if (usages != null && !(usages.contains(SERVER_AUTH) && usages.contains(CLIENT_AUTH))) {
      throw new IllegalArgumentException(CERT_FILE + " " + certFile + ": the certificate's extended key usage must"
          + " allow both serverAuth and clientAuth, since a member is the TLS server of the members that connect to it"
          + " and a TLS client of the others");
    }
  }

  private static void requireIssuedBy(List<X509Certificate> chain, List<X509Certificate> cas, Path certFile,
      Path caFile) {
    List<X509Certificate> path = chain.stream().filter(c -> !cas.contains(c)).toList();
    if (path.isEmpty()) {
      return;
    }
    try {
      Set<TrustAnchor> anchors = cas.stream().map(ca -> new TrustAnchor(ca, null)).collect(Collectors.toSet());
      PKIXParameters parameters = new PKIXParameters(anchors);
      // Members check each other against the bundle alone, with no revocation lists or OCSP to ask.
      parameters.setRevocationEnabled(false);
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(CERT_FILE + " " + certFile + " does not verify against " + CA_FILE + " "
          + caFile + " (" + e.getMessage() + "), so the other members would refuse it");
    }
  }
}
