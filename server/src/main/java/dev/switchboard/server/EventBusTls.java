package dev.switchboard.server;

import dev.switchboard.protocol.ConfigReader;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * TLS with mutual authentication on the clustered event bus ({@code SB_EVENTBUS_TLS_*}): a member accepts a
 * connection from another member, and connects to one, only when the other's certificate chains to a CA of the
 * bundle, so a process that reaches the event bus port (or joins Hazelcast) without such a certificate neither sends
 * nor receives a message. Peers are authenticated by that CA, not by host name: members are addressed by IP and
 * Vert.x's event bus client verifies no host name, so one certificate may serve every member.
 *
 * <p>The files are read when the node starts; a new certificate takes a restart (while rotating the CA, put the old
 * and the new one in the bundle).
 *
 * @param certFile PEM certificate chain of this member, its own certificate first ({@code SB_EVENTBUS_TLS_CERT_FILE})
 * @param keyFile PEM PKCS#8 private key of that certificate, unencrypted ({@code SB_EVENTBUS_TLS_KEY_FILE})
 * @param caFile PEM bundle of the CAs whose members this member trusts ({@code SB_EVENTBUS_TLS_CA_FILE})
 */
public record EventBusTls(Path certFile, Path keyFile, Path caFile) {

  static final String CERT_FILE = "SB_EVENTBUS_TLS_CERT_FILE";
  static final String KEY_FILE = "SB_EVENTBUS_TLS_KEY_FILE";
  static final String CA_FILE = "SB_EVENTBUS_TLS_CA_FILE";
  /** TLS 1.2 and 1.3, nothing older. */
  static final List<String> PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");

  /** Checks that the three files are readable and fit together (see {@link MemberCredentials}). */
  public EventBusTls {
    requireReadable(CERT_FILE, certFile);
    requireReadable(KEY_FILE, keyFile);
    requireReadable(CA_FILE, caFile);
    MemberCredentials.check(certFile, keyFile, caFile);
  }

  /**
   * The event bus TLS settings, or {@code null} when none of the three is set (the event bus then runs in clear:
   * only the network protects it); some but not all of them is a mistake the node refuses to start with.
   */
  public static EventBusTls from(ConfigReader reader) {
    String cert = reader.string(CERT_FILE, null);
    String key = reader.string(KEY_FILE, null);
    String ca = reader.string(CA_FILE, null);
    if (cert == null && key == null && ca == null) {
      return null;
    }
    List<String> missing = new ArrayList<>();
    if (cert == null) {
      missing.add(CERT_FILE);
    }
    if (key == null) {
      missing.add(KEY_FILE);
    }
    if (ca == null) {
      missing.add(CA_FILE);
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("event bus TLS needs all three of " + CERT_FILE + ", " + KEY_FILE + " and "
          + CA_FILE + " (or none); missing " + String.join(" and ", missing));
    }
    return new EventBusTls(Path.of(cert), Path.of(key), Path.of(ca));
  }

  /**
   * Turns TLS on for both ends of the event bus: Vert.x builds the server that other members connect to and the
   * client that connects to them from the same options, so each end presents this certificate and requires the
   * other's.
   */
  EventBusOptions applyTo(EventBusOptions options) {
    return options.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certFile.toString()).setKeyPath(keyFile.toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString()))
        .setClientAuth(ClientAuth.REQUIRED)
        // The event bus client trusts every server unless told otherwise (EventBusOptions.DEFAULT_TRUST_ALL): it
        // would send all it has to a rogue member that merely accepts this member's certificate.
        .setTrustAll(false)
        .setEnabledSecureTransportProtocols(new LinkedHashSet<>(PROTOCOLS));
  }

  private static void requireReadable(String setting, Path file) {
    if (file == null || !Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(setting + " is not a readable file: " + file);
    }
  }
}
