package dev.switchboard.realtime.http;

import dev.switchboard.protocol.ConfigReader;
import io.vertx.core.http.HttpServerOptions;

/**
 * What the edge compresses, all off by default (docs/PROTOCOL.md, Compression; the costs measured in
 * docs/BENCHMARKS.md). permessage-deflate (RFC 7692) on WebSockets, for clients that offer it: each socket that
 * negotiates it keeps its own deflater once it has sent a message (context takeover, a 32 KiB window), and each event
 * is compressed once per socket instead of being written from the frame every socket shares. gzip or deflate for HTTP
 * answers of at least {@link #MIN_HTTP_BYTES} whose request accepts it (history pages, presence lists, over HTTP/1.1
 * and HTTP/2); SSE streams always stay identity-encoded, because a compressor flushed per event gains little and some
 * proxies hold compressed streams back.
 *
 * @param webSocket      whether WebSockets may negotiate permessage-deflate ({@code SB_WS_COMPRESSION})
 * @param webSocketLevel its zlib level, 1 (fastest) to 9 (smallest) ({@code SB_WS_COMPRESSION_LEVEL})
 * @param http           whether HTTP answers are gzip- or deflate-encoded for clients that accept it
 *                       ({@code SB_HTTP_COMPRESSION})
 */
public record Compression(boolean webSocket, int webSocketLevel, boolean http) {

  public static final boolean DEFAULT_WEB_SOCKET = false;
  public static final int DEFAULT_WEB_SOCKET_LEVEL = 6;
  public static final boolean DEFAULT_HTTP = false;
  /** Smaller answers (an ack, a probe) would gain a few bytes at the cost of a compressor. */
  public static final int MIN_HTTP_BYTES = 1024;

  public Compression {
    if (webSocketLevel < 1 || webSocketLevel > 9) {
      throw new IllegalArgumentException("SB_WS_COMPRESSION_LEVEL must be 1-9");
    }
  }

  public static Compression from(ConfigReader config) {
    return new Compression(config.bool("SB_WS_COMPRESSION", DEFAULT_WEB_SOCKET),
        config.integer("SB_WS_COMPRESSION_LEVEL", DEFAULT_WEB_SOCKET_LEVEL),
        config.bool("SB_HTTP_COMPRESSION", DEFAULT_HTTP));
  }

  /** Sets the server's compression to these settings; per-frame WebSocket compression is never offered. */
  public HttpServerOptions apply(HttpServerOptions options) {
    return options.setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(webSocket)
        .setWebSocketCompressionLevel(webSocketLevel)
        // A client asking for no context takeover gets it: its socket then holds no deflater between messages.
        .setWebSocketAllowServerNoContext(true)
        .setCompressionSupported(http)
        .setCompressionContentSizeThreshold(MIN_HTTP_BYTES);
  }
}
