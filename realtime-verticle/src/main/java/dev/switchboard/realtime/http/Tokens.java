package dev.switchboard.realtime.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** Finds a request's JWT: {@code Authorization: Bearer} first, then the {@code access_token} query parameter. */
public final class Tokens {

  private Tokens() {
  }

  /** The token, or null when the request carries none. */
  static String of(HttpServerRequest request) {
    return of(request.getHeader(HttpHeaders.AUTHORIZATION), request.getParam("access_token"));
  }

  /** The token from an {@code Authorization} header value or else an {@code access_token} parameter value. */
  static String of(String header, String param) {
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = header.substring(7).trim();
      if (!token.isEmpty()) {
        return token;
      }
    }
    return param == null || param.isEmpty() ? null : param;
  }
}
