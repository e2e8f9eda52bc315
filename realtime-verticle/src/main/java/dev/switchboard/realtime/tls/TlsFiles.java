package dev.switchboard.realtime.tls;

import java.nio.file.Path;

/**
 * Where the edge's TLS certificate and key live ({@code SB_TLS_CERT_FILE}, {@code SB_TLS_KEY_FILE}): PEM, the
 * certificate chain with the edge's own certificate first, the key unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}) or
 * PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, {@code BEGIN EC PRIVATE KEY}), RSA or EC, so that a Kubernetes TLS secret
 * mounts as it is.
 *
 * @param cert the certificate chain file
 * @param key  the key file
 */
public record TlsFiles(Path cert, Path key) {

  public TlsFiles {
    if (cert == null || key == null) {
      throw new IllegalArgumentException("TLS needs both a certificate and a key file");
    }
  }

  /**
   * The files named by the two settings, or null (plain HTTP) when neither is set.
   *
   * @throws IllegalArgumentException when only one is set, naming the missing one
   */
  public static TlsFiles of(String certFile, String keyFile) {
    if (certFile == null && keyFile == null) {
      return null;
    }
    if (certFile == null || keyFile == null) {
      throw new IllegalArgumentException("SB_TLS_CERT_FILE and SB_TLS_KEY_FILE go together: missing "
          + (certFile == null ? "SB_TLS_CERT_FILE" : "SB_TLS_KEY_FILE"));
    }
    return new TlsFiles(Path.of(certFile), Path.of(keyFile));
  }
}
