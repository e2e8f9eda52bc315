package dev.switchboard.server;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1 made at test time with the JDK's keytool, written as the PEM files an
 * operator mounts: the certificate and its unencrypted PKCS#8 key.
 *
 * @param cert the PEM certificate file
 * @param key  the PEM key file
 */
record SelfSignedFiles(Path cert, Path key) {

  private static final char[] STORE_PASSWORD = "changeit".toCharArray();

  /** Makes a certificate named {@code commonName} with a {@code keyAlgorithm} ("EC", "RSA") key in {@code dir}. */
  static SelfSignedFiles create(Path dir, String commonName, String keyAlgorithm) throws Exception {
    Path store = dir.resolve(commonName + ".p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "edge", "-keyalg", keyAlgorithm,
        keyAlgorithm.equals("EC") ? "-groupname" : "-keysize",
        keyAlgorithm.equals("EC") ? "secp256r1" : "2048", "-dname", "CN=" + commonName,
        "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", new String(STORE_PASSWORD))
        .redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes());
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keyStore.load(in, STORE_PASSWORD);
    }
    Certificate certificate = keyStore.getCertificate("edge");
    Key key = keyStore.getKey("edge", STORE_PASSWORD);
    Path certFile = Files.writeString(dir.resolve(commonName + ".pem"), pem("CERTIFICATE", certificate.getEncoded()));
    Path keyFile = Files.writeString(dir.resolve(commonName + ".key"), pem("PRIVATE KEY", key.getEncoded()));
    return new SelfSignedFiles(certFile, keyFile);
  }

  /**
   * The same certificate with its key rewritten in the traditional form, {@code type} ("RSA" for PKCS#1, "EC" for
   * SEC 1, as {@code openssl ec} writes it): the key PKCS#8 wraps, taken out of its {@code privateKey} OCTET STRING.
   */
  SelfSignedFiles traditional(String type) throws Exception {
    String pem = Files.readString(key);
    byte[] pkcs8 = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    int[] at = {0};
    enter(pkcs8, at); // PrivateKeyInfo SEQUENCE
    at[0] = skip(pkcs8, at[0]); // version
    at[0] = skip(pkcs8, at[0]); // algorithm
    int length = enter(pkcs8, at); // privateKey OCTET STRING
    byte[] inner = Arrays.copyOfRange(pkcs8, at[0], at[0] + length);
    if (type.equals("EC")) {
      inner = withCurve(inner);
    }
    Path rewritten = Files.writeString(key.resolveSibling(key.getFileName() + "." + type),
        pem(type + " PRIVATE KEY", inner));
    return new SelfSignedFiles(cert, rewritten);
  }

  /**
   * A SEC 1 key with its curve named, as {@code openssl ec} writes it: the JDK's leaves the curve to PKCS#8's algorithm
   * identifier. Keys here are on P-256.
   */
  private static byte[] withCurve(byte[] sec1) {
    int[] at = {0};
    enter(sec1, at);
    int end = skip(sec1, skip(sec1, at[0])); // version, privateKey
    byte[] versionAndKey = Arrays.copyOfRange(sec1, at[0], end);
    byte[] p256 = {(byte) 0xa0, 0x0a, 0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};
    byte[] out = new byte[2 + versionAndKey.length + p256.length];
    out[0] = 0x30;
    out[1] = (byte) (versionAndKey.length + p256.length);
    System.arraycopy(versionAndKey, 0, out, 2, versionAndKey.length);
    System.arraycopy(p256, 0, out, 2 + versionAndKey.length, p256.length);
    return out;
  }

  /** Moves {@code at} past a DER element's tag and length to its contents; answers the contents' length. */
  private static int enter(byte[] der, int[] at) {
    int i = at[0] + 1;
    int length = der[i++] & 0xff;
    if (length > 0x7f) {
      int bytes = length & 0x7f;
      length = 0;
      for (int b = 0; b < bytes; b++) {
        length = (length << 8) | (der[i++] & 0xff);
      }
    }
    at[0] = i;
    return length;
  }

  /** Where the DER element at {@code at} ends. */
  private static int skip(byte[] der, int at) {
    int[] position = {at};
    int length = enter(der, position);
    return position[0] + length;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
