package dev.switchboard.realtime.tls;

import dev.switchboard.protocol.ConfigReader;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/2 on the edge's TLS port (docs/PROTOCOL.md, HTTP/2): whether ALPN offers it, and the limits each connection
 * announces in its SETTINGS. WebSockets always upgrade over HTTP/1.1 (Vert.x has no RFC 8441 extended CONNECT), so a
 * browser opens one HTTP/1.1 connection for its WebSocket beside the HTTP/2 one that carries its SSE streams, long
 * polls and REST calls. Floods are refused by Netty below these settings (a GOAWAY and the connection closed):
 * more than {@link #MAX_RESETS} stream resets, received or caused, in {@link #RESET_WINDOW_SEC} seconds (rapid reset,
 * CVE-2023-44487, and its server-side variant); more than 10,000 control-frame acknowledgements queued for a peer that
 * does not read them; runs of empty DATA frames; CONTINUATION floods. Control frames read faster than a client needs
 * are the {@link dev.switchboard.realtime.http.ConnectionGuard}'s.
 *
 * @param enabled              whether ALPN offers {@code h2} beside {@code http/1.1} ({@code SB_HTTP2}); only with TLS
 * @param maxStreams           streams a connection may have open at once ({@code SB_HTTP2_MAX_STREAMS}); more are
 *                             refused with {@code REFUSED_STREAM}
 * @param streamWindowBytes    how much a client may send on one stream before the node reads it
 *                             ({@code SB_HTTP2_STREAM_WINDOW_BYTES})
 * @param connectionWindowBytes the same for all streams of a connection together
 *                             ({@code SB_HTTP2_CONNECTION_WINDOW_BYTES})
 * @param maxHeaderListBytes   the largest decoded header list of a request ({@code SB_HTTP2_MAX_HEADER_LIST_BYTES})
 */
public record Http2Limits(boolean enabled, int maxStreams, int streamWindowBytes, int connectionWindowBytes,
                          int maxHeaderListBytes) {

  public static final boolean DEFAULT_ENABLED = true;
  public static final int DEFAULT_MAX_STREAMS = 100;
  /** RFC 9113's initial window: requests carry small bodies (at most {@code SB_MAX_FRAME_BYTES}). */
  public static final int DEFAULT_STREAM_WINDOW_BYTES = 65_535;
  public static final int DEFAULT_CONNECTION_WINDOW_BYTES = 1 << 20;
  /** The same bound as an HTTP/1.1 request's headers. */
  public static final int DEFAULT_MAX_HEADER_LIST_BYTES = HttpServerOptions.DEFAULT_MAX_HEADER_SIZE;
  /** Stream resets (RST_STREAM received or sent) per window after which a connection gets a GOAWAY. */
  public static final int MAX_RESETS = 200;
  public static final int RESET_WINDOW_SEC = 30;
  /** RFC 9113's initial window, the least a window may be here. */
  private static final int MIN_WINDOW = 65_535;

  public Http2Limits {
    if (maxStreams < 1 || maxStreams > 10_000) {
      throw new IllegalArgumentException("SB_HTTP2_MAX_STREAMS must be 1-10000");
    }
    if (streamWindowBytes < MIN_WINDOW || connectionWindowBytes < MIN_WINDOW) {
      throw new IllegalArgumentException(
          "SB_HTTP2_STREAM_WINDOW_BYTES and SB_HTTP2_CONNECTION_WINDOW_BYTES must be at least " + MIN_WINDOW);
    }
    if (maxHeaderListBytes < 1024) {
      throw new IllegalArgumentException("SB_HTTP2_MAX_HEADER_LIST_BYTES must be at least 1024");
    }
  }

  public static Http2Limits from(ConfigReader config) {
    return new Http2Limits(
        config.bool("SB_HTTP2", DEFAULT_ENABLED),
        config.integer("SB_HTTP2_MAX_STREAMS", DEFAULT_MAX_STREAMS),
        config.integer("SB_HTTP2_STREAM_WINDOW_BYTES", DEFAULT_STREAM_WINDOW_BYTES),
        config.integer("SB_HTTP2_CONNECTION_WINDOW_BYTES", DEFAULT_CONNECTION_WINDOW_BYTES),
        config.integer("SB_HTTP2_MAX_HEADER_LIST_BYTES", DEFAULT_MAX_HEADER_LIST_BYTES));
  }

  /** Makes a TLS server's ALPN offer {@code h2} (when enabled) with these limits, and {@code http/1.1}. */
  public HttpServerOptions apply(HttpServerOptions options) {
    if (!enabled) {
      return options.setUseAlpn(false);
    }
    return options.setUseAlpn(true)
        .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
        .setInitialSettings(new Http2Settings()
            .setMaxConcurrentStreams(maxStreams)
            .setInitialWindowSize(streamWindowBytes)
            .setMaxHeaderListSize(maxHeaderListBytes))
        .setHttp2ConnectionWindowSize(connectionWindowBytes)
        .setHttp2RstFloodMaxRstFramePerWindow(MAX_RESETS)
        .setHttp2RstFloodWindowDuration(RESET_WINDOW_SEC)
        .setHttp2RstFloodWindowDurationTimeUnit(TimeUnit.SECONDS);
  }
}
