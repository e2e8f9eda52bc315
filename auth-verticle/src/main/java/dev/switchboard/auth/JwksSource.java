package dev.switchboard.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.Locale;

/**
 * Where a JWKS ({@code SB_JWKS}) is read from: a file, or an http(s) URL fetched with Vert.x's HTTP client.
 *
 * <pre>
 * {"keys":[{"kty":"RSA","kid":"2024-06","alg":"RS256","use":"sig","n":"...","e":"AQAB"},
 *          {"kty":"EC","kid":"ec-1","crv":"P-256","x":"...","y":"..."}]}
 * </pre>
 */
public final class JwksSource {

  /** An identity provider that takes longer is treated as down for this attempt; the last good keys stay. */
  private static final long TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final String location;
  private final HttpClient http;

  private JwksSource(Vertx vertx, String location) {
    this.vertx = vertx;
    this.location = location;
    this.http = isUrl(location) ? vertx.createHttpClient() : null;
  }

  /** A source for {@code location}, a file path or an http(s) URL. */
  public static JwksSource of(Vertx vertx, String location) {
    return new JwksSource(vertx, location);
  }

  /** The key set as JSON; fails when it cannot be read, the server does not answer 200, or it is not JSON. */
  public Future<JsonObject> fetch() {
    if (http == null) {
      return vertx.fileSystem().readFile(location).map(JwksSource::json);
    }
    RequestOptions request;
    try {
      request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(location)
          .setFollowRedirects(true).setTimeout(TIMEOUT_MS).putHeader("Accept", "application/json");
    } catch (RuntimeException malformed) {
      return Future.failedFuture(new IllegalArgumentException("malformed URL"));
    }
    // body() is asked for inside send()'s own callback: one compose stage later, a fetch started outside the
    // client's event loop sometimes let the body go by unread, and the fetch never completed.
    return http.request(request).compose(sent -> sent.send().compose(response -> response.body()
        .compose(body -> response.statusCode() == 200
            ? Future.succeededFuture(json(body))
            : Future.failedFuture("HTTP " + response.statusCode()))));
  }

  private static JsonObject json(Buffer body) {
    try {
      return new JsonObject(body);
    } catch (DecodeException notAnObject) {
      // The parser's message is long and says nothing an operator can act on.
      throw new IllegalArgumentException("not a JSON object");
    }
  }

  /** Whether {@code location} is an http(s) URL rather than a file path. */
  static boolean isUrl(String location) {
    String lower = location.toLowerCase(Locale.ROOT);
    return lower.startsWith("http://") || lower.startsWith("https://");
  }

  /** {@code location} fit for logs: a URL without user info or query, which may carry credentials. */
  static String describe(String location) {
    if (!isUrl(location)) {
      return location;
    }
    try {
      URI uri = URI.create(location);
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
    } catch (Exception malformed) {
      return "<malformed URL>";
    }
  }

  @Override
  public String toString() {
    return describe(location);
  }
}
