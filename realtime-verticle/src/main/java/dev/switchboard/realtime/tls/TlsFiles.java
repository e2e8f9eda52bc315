package dev.switchboard.realtime.tls;

import dev.switchboard.protocol.ConfigReader;

import java.nio.file.Path;

/**
 * Where the edge's TLS certificate and key live ({@code SB_TLS_CERT_FILE}, {@code SB_TLS_KEY_FILE}): PEM, the
 * certificate chain with the edge's own certificate first, the key unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}) or
 * PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, {@code BEGIN EC PRIVATE KEY}), RSA or EC, so that a Kubernetes TLS secret
 * mounts as it is; and the CAs whose client certificates the internal port accepts ({@code SB_TLS_CA_FILE}).
 *
 * @param cert the certificate chain file
 * @param key  the key file
 * @param ca   the PEM bundle of CAs that sign the internal port's clients, or null for none
 */
public record TlsFiles(Path cert, Path key, Path ca) {

  public TlsFiles {
    if (cert == null || key == null) {
      throw new IllegalArgumentException("TLS needs both a certificate and a key file");
    }
  }

  /** The files named by the settings in {@code config}, or null (plain HTTP) when none is set. */
  public static TlsFiles from(ConfigReader config) {
    return of(config.string("SB_TLS_CERT_FILE", null), config.string("SB_TLS_KEY_FILE", null),
        config.string("SB_TLS_CA_FILE", null));
  }

  /**
   * The files named by the three settings, or null (plain HTTP) when none is set.
   *
   * @throws IllegalArgumentException when only one of the certificate and key is set, naming the missing one, or
   *                                  when a CA is set without them
   */
  private static TlsFiles of(String certFile, String keyFile, String caFile) {
    if (certFile == null && keyFile == null) {
      if (caFile != null) {
        throw new IllegalArgumentException("SB_TLS_CA_FILE needs SB_TLS_CERT_FILE and SB_TLS_KEY_FILE");
      }
      return null;
    }
    if (certFile == null || keyFile == null) {
      throw new IllegalArgumentException("SB_TLS_CERT_FILE and SB_TLS_KEY_FILE go together: missing "
          + (certFile == null ? "SB_TLS_CERT_FILE" : "SB_TLS_KEY_FILE"));
    }
    return new TlsFiles(Path.of(certFile), Path.of(keyFile), caFile == null ? null : Path.of(caFile));
  }
}
