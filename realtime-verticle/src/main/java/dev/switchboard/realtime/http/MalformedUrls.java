package dev.switchboard.realtime.http;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.realtime.wire.Refusal;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * The one check that a request's URL decodes (docs/PROTOCOL.md, REST: errors), run before any route and before any
 * WebSocket upgrade: a malformed percent-escape anywhere answers 400 with the JSON error body, and is logged as one short line without the URL's query, which may hold a token, at most once
 * per {@link #LOG_EVERY_MS} with a count of what it skipped.
 */
public final class MalformedUrls {

  private static final Logger LOG = LoggerFactory.getLogger(MalformedUrls.class);
  /** How often a refused URL is logged at most; the others are counted into the next line. */
  static final long LOG_EVERY_MS = 10_000;

  private long lastLoggedAt = Long.MIN_VALUE;
  private int unlogged;

  /** The URL's query parameters, decoded; null when the URL does not decode (after logging, rate-limited). */
  public Map<String, List<String>> parameters(String uri, String remote, long nowMs) {
    try {
      QueryStringDecoder decoder = new QueryStringDecoder(uri);
      decoder.path();
      return decoder.parameters();
    } catch (IllegalArgumentException malformed) {
      refused(uri, remote, nowMs);
      return null;
    }
  }

  /** Answers a request whose URL does not decode; true when it did so. */
  public boolean refuse(HttpServerRequest request, long nowMs) {
    if (parameters(request.uri(), request.remoteAddress().hostAddress(), nowMs) != null) {
      return false;
    }
    // The connection is not reused: whatever the client still sends on it belongs to a request nobody reads.
    request.response().setStatusCode(ErrorCode.BAD_REQUEST.httpStatus()).putHeader("Content-Type", "application/json")
        .putHeader("Connection", "close")
        .end(HttpErrors.body(Refusal.MALFORMED_URL.code(), Refusal.MALFORMED_URL.message()).toBuffer());
    return true;
  }

  private void refused(String uri, String remote, long nowMs) {
    if (nowMs - lastLoggedAt < LOG_EVERY_MS) {
      unlogged++;
      return;
    }
    int more = unlogged;
    unlogged = 0;
    lastLoggedAt = nowMs;
    String path = uri.indexOf('?') < 0 ? uri : uri.substring(0, uri.indexOf('?'));
    LOG.info("refused a URL that does not decode from {}: {} (query not logged){}", remote,
        path.length() > 64 ? path.substring(0, 64) + "..." : path,
        more == 0 ? "" : "; " + more + " more since the last such line");
  }
}
