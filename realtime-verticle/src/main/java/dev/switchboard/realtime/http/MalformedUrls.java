package dev.switchboard.realtime.http;

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
 * per {@link ThrottledLog#EVERY_MS} with a count of what it skipped.
 */
public final class MalformedUrls {

  private static final Logger LOG = LoggerFactory.getLogger(MalformedUrls.class);
  private final ThrottledLog refusals = ThrottledLog.info(LOG);

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
    HttpErrors.sendAndClose(request, Refusal.MALFORMED_URL);
    return true;
  }

  private void refused(String uri, String remote, long nowMs) {
    String path = uri.indexOf('?') < 0 ? uri : uri.substring(0, uri.indexOf('?'));
    refusals.log(nowMs, "refused a URL that does not decode from {}: {} (query not logged)", remote,
        path.length() > 64 ? path.substring(0, 64) + "..." : path);
  }
}
