package dev.switchboard.realtime.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

/**
 * The edge's TLS certificate: read from its {@link TlsFiles}, set on each loop's server options, and re-read every
 * {@link #CHECK_INTERVAL}; when the files' bytes change (cert-manager rotating a secret, an operator copying new files
 * in) every loop's server gets the new certificate for its next handshake, while connections already open keep the
 * one they were made with and stay open. A pair that does not load (the key written but not yet the certificate, say)
 * leaves the old certificate in place and is tried again at the next check. The internal port
 * ({@code SB_INTERNAL_PORT}) has its own, from the same files, which also asks its clients for a certificate signed
 * by a CA of {@code SB_TLS_CA_FILE} when that is set ({@link #forInternalPort}).
 */
public final class EdgeCertificate {

  private static final Logger LOG = LoggerFactory.getLogger(EdgeCertificate.class);
  /** TLS 1.0 and 1.1 are deprecated (RFC 8996). */
  public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
  /** How often the files are compared with what is served: a rotation is served within about this. */
  public static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final TlsFiles files;
  /** Whether clients are asked for a certificate signed by a CA of {@link TlsFiles#ca()}. */
  private final boolean asksClients;
  private volatile PemKeyCertOptions current;
  /** The last pair that did not load, not tried again until the files change. */
  private PemKeyCertOptions refused;
  private long timer = -1;
  private boolean checking;

  /** The edge port's certificate: its clients (browsers, apps) present none. */
  public EdgeCertificate(Vertx vertx, TlsFiles files) {
    this(vertx, files, false);
  }

  private EdgeCertificate(Vertx vertx, TlsFiles files, boolean asksClients) {
    this.vertx = vertx;
    this.files = files;
    this.asksClients = asksClients;
  }

  /**
   * The internal port's certificate: with a CA file, clients are asked for a certificate and one that the CA did not
   * sign fails the handshake; a client without one still connects (the kubelet's probes have none), and
   * {@link #verifiedClient} tells the two apart.
   */
  public static EdgeCertificate forInternalPort(Vertx vertx, TlsFiles files) {
    return new EdgeCertificate(vertx, files, files.ca() != null);
  }

  /** Whether this server asks for client certificates, so that {@link #verifiedClient} means something. */
  public boolean asksClients() {
    return asksClients;
  }

  /** Whether {@code connection}'s client presented a certificate, which the handshake then verified. */
  public static boolean verifiedClient(HttpConnection connection) {
    try {
      return connection.isSsl() && !connection.peerCertificates().isEmpty();
    } catch (SSLPeerUnverifiedException none) {
      return false;
    }
  }

  /** Reads the files for the first time; fails, naming the files but never showing their contents, when unreadable. */
  public Future<Void> load() {
    return read().onSuccess(pair -> current = pair).mapEmpty();
  }

  /** Makes {@code options} a TLS 1.2+ server with the certificate last loaded. */
  public HttpServerOptions apply(HttpServerOptions options) {
    options.setSsl(true).setKeyCertOptions(current.copy());
    options.getEnabledSecureTransportProtocols().clear();
    PROTOCOLS.forEach(options::addEnabledSecureTransportProtocol);
    if (asksClients) {
      options.setTrustOptions(clientCas()).setClientAuth(ClientAuth.REQUEST);
    }
    return options;
  }

  /**
   * Starts checking the files; on a change, {@code update} is given the new server TLS options and answers once every
   * server has them (true when one took them).
   */
  public void watch(Function<ServerSSLOptions, Future<?>> update) {
    timer = vertx.setPeriodic(CHECK_INTERVAL.toMillis(), t -> check(update));
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  private void check(Function<ServerSSLOptions, Future<?>> update) {
    if (checking) {
      return;
    }
    checking = true;
    read().compose(pair -> {
      if (pair.equals(current) || pair.equals(refused)) {
        return Future.succeededFuture();
      }
      ServerSSLOptions ssl = new ServerSSLOptions().setKeyCertOptions(pair.copy())
          .setEnabledSecureTransportProtocols(PROTOCOLS);
      if (asksClients) {
        ssl.setTrustOptions(clientCas()).setClientAuth(ClientAuth.REQUEST);
      }
      return update.apply(ssl).onSuccess(v -> {
        current = pair;
        LOG.info("TLS certificate reloaded from {}", files.cert());
      }).onFailure(e -> refused = pair);
    }).onComplete(ar -> {
      checking = false;
      if (ar.failed()) {
        LOG.warn("TLS certificate in {} and {} not reloaded, the previous one is served: {}", files.cert(),
            files.key(), ar.cause().getClass().getSimpleName());
      }
    });
  }

  private PemTrustOptions clientCas() {
    return new PemTrustOptions().addCertPath(files.ca().toString());
  }

  private Future<PemKeyCertOptions> read() {
    Future<Buffer> cert = vertx.fileSystem().readFile(files.cert().toString());
    Future<Buffer> key = vertx.fileSystem().readFile(files.key().toString());
    return Future.all(cert, key).map(v -> new PemKeyCertOptions().setCertValue(cert.result())
        .setKeyValue(key.result()));
  }
}
