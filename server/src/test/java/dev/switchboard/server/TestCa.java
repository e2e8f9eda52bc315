package dev.switchboard.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority made at test time with the JDK's keytool: its certificate as the PEM file an operator
 * names in {@code SB_TLS_CA_FILE}, and client key stores (PKCS#12, password {@link #PASSWORD}) holding a key and a
 * certificate it signed.
 *
 * @param dir  where its files live
 * @param cert the CA's PEM certificate
 */
record TestCa(Path dir, Path cert) {

  static final String PASSWORD = "changeit";

  /** Makes a CA named {@code CN=commonName} in {@code dir}. */
  static TestCa create(Path dir, String commonName) throws Exception {
    Path store = dir.resolve(commonName + ".p12");
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + commonName,
        "-ext", "bc:c", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", PASSWORD);
    Path cert = dir.resolve(commonName + "-ca.pem");
    keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", store.toString(), "-storepass", PASSWORD,
        "-file", cert.toString());
    return new TestCa(dir, cert);
  }

  /** A client key store {@code CN=commonName} whose certificate this CA signed, its chain up to the CA. */
  Path client(String commonName) throws Exception {
    Path caStore = dir.resolve(cert.getFileName().toString().replace("-ca.pem", ".p12"));
    Path store = dir.resolve(commonName + "-client.p12");
    keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=" + commonName, "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
        "-storepass", PASSWORD);
    Path request = dir.resolve(commonName + ".csr");
    Path signed = dir.resolve(commonName + "-signed.pem");
    keytool("-certreq", "-alias", "client", "-keystore", store.toString(), "-storepass", PASSWORD,
        "-file", request.toString());
    keytool("-gencert", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", PASSWORD, "-rfc",
        "-ext", "eku=clientAuth", "-validity", "2", "-infile", request.toString(), "-outfile", signed.toString());
    keytool("-importcert", "-noprompt", "-alias", "ca", "-keystore", store.toString(), "-storepass", PASSWORD,
        "-file", cert.toString());
    keytool("-importcert", "-alias", "client", "-keystore", store.toString(), "-storepass", PASSWORD,
        "-file", signed.toString());
    return store;
  }

  private static void keytool(String... arguments) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes());
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
    }
  }
}
