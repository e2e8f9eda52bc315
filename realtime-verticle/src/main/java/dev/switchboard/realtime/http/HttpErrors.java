package dev.switchboard.realtime.http;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.realtime.wire.Refusal;
import dev.switchboard.realtime.wire.RequestFailure;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * The one place REST failures become HTTP answers: {@code {"error":{"code","message","retryable"}}} with the
 * catalogue status, {@code Retry-After} on 429, and on a 403 that refuses to read sessions, which of them.
 */
public final class HttpErrors {

  private HttpErrors() {
  }

  public static void send(RoutingContext ctx, Throwable failure) {
    ErrorCode code = ErrorCode.of(failure);
    long retryAfterMs = RequestFailure.retryAfterMs(failure);
    if (code == ErrorCode.RATE_LIMITED && retryAfterMs > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(Math.max(1, (retryAfterMs + 999) / 1000)));
    }
    send(ctx, code, ErrorCode.messageOf(failure));
  }

  /** Answers a refusal of the catalogue, its numbers filled in. */
  public static void send(RoutingContext ctx, Refusal refusal, Object... args) {
    send(ctx, refusal.code(), refusal.message(args));
  }

  /**
   * Refuses a read (SSE stream, long poll, history, presence) naming the sessions the token does not allow, so that a
   * client reopening a stream of several sessions with a narrower token learns which ones it lost and can reopen
   * without them:
   *
   * <pre>
   * 403 {"error":{"code":"forbidden","message":"the token does not allow this session","retryable":false,
   *              "sessionIds":["chat:7"]}}
   * </pre>
   */
  public static void refuseSessions(RoutingContext ctx, List<String> sessionIds) {
    refuseSessions(ctx, Refusal.SESSION_FORBIDDEN, sessionIds);
  }

  /** Like {@link #refuseSessions(RoutingContext, List)}, for another {@code forbidden} refusal. */
  public static void refuseSessions(RoutingContext ctx, Refusal refusal, List<String> sessionIds) {
    refuseSessions(ctx, refusal.message(), sessionIds);
  }

  /** Like {@link #refuseSessions(RoutingContext, List)}, with the text of a {@code forbidden} refusal made already. */
  public static void refuseSessions(RoutingContext ctx, String message, List<String> sessionIds) {
    Refusal refusal = Refusal.SESSION_FORBIDDEN;
    JsonObject body = body(refusal.code(), message);
    body.getJsonObject("error").put("sessionIds", new JsonArray(List.copyOf(sessionIds)));
    send(ctx, refusal.code(), body);
  }

  private static void send(RoutingContext ctx, ErrorCode code, String message) {
    send(ctx, code, body(code, message));
  }

  private static void send(RoutingContext ctx, ErrorCode code, JsonObject body) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    if (code == ErrorCode.RATE_LIMITED && ctx.response().headers().get("Retry-After") == null) {
      ctx.response().putHeader("Retry-After", "1");
    }
    ctx.response().setStatusCode(code.httpStatus()).putHeader("Content-Type", "application/json")
        .end(body.toBuffer());
  }

  /**
   * Answers a request before any route runs and ends its connection: whatever the client still sends on it belongs to
   * a request nobody reads, or the connection is one the node does not keep. Over HTTP/1.1 the answer says
   * {@code Connection: close}; over HTTP/2, where that header is not allowed, the connection gets a GOAWAY once the
   * answer is sent, and the client's other streams on it end too.
   */
  public static void sendAndClose(HttpServerRequest request, Refusal refusal) {
    sendAndClose(request, refusal.code().httpStatus(), refusal.code(), refusal.message());
  }

  private static void sendAndClose(HttpServerRequest request, int status, ErrorCode code, String message) {
    HttpServerResponse response = request.response();
    if (code == ErrorCode.RATE_LIMITED || code == ErrorCode.UNAVAILABLE) {
      response.putHeader("Retry-After", "1");
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json");
    if (request.version() == HttpVersion.HTTP_2) {
      response.end(body(code, message).toBuffer()).onComplete(v -> request.connection().close());
    } else {
      response.putHeader("Connection", "close").end(body(code, message).toBuffer());
    }
  }

  /**
   * A request Netty could not decode (Vert.x's invalid-request handler): a request line over
   * {@link HttpServerOptions#DEFAULT_MAX_INITIAL_LINE_LENGTH} bytes answers 414, headers over
   * {@link HttpServerOptions#DEFAULT_MAX_HEADER_SIZE} answer 431, anything else 400; always with the error body, and
   * the connection ends.
   */
  public static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    if (cause instanceof TooLongHttpLineException) {
      sendAndClose(request, 414, ErrorCode.TOO_LARGE,
          Refusal.REQUEST_LINE_TOO_LONG.message(HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH));
    } else if (cause instanceof TooLongHttpHeaderException) {
      sendAndClose(request, 431, ErrorCode.TOO_LARGE,
          Refusal.HEADERS_TOO_LARGE.message(HttpServerOptions.DEFAULT_MAX_HEADER_SIZE));
    } else {
      sendAndClose(request, Refusal.MALFORMED_HTTP);
    }
  }

  /**
   * The one error body of every HTTP answer: {@code {"error":{"code","message","retryable"}}} (plus
   * {@code sessionIds} when {@link #refuseSessions} names them).
   */
  public static JsonObject body(ErrorCode code, String message) {
    return new JsonObject().put("error", new JsonObject().put("code", code.code()).put("message", message)
        .put("retryable", code.retryable()));
  }

  /** Maps a status vertx-web chose itself (unknown route, body too large, ...) to the catalogue. */
  public static void sendStatus(RoutingContext ctx) {
    int status = ctx.statusCode();
    ErrorCode code = switch (status) {
      case 400 -> ErrorCode.BAD_REQUEST;
      case 401 -> ErrorCode.UNAUTHORIZED;
      case 403 -> ErrorCode.FORBIDDEN;
      case 404, 405 -> ErrorCode.NOT_FOUND;
      case 413 -> ErrorCode.TOO_LARGE;
      default -> null;
    };
    if (code == null) {
      Throwable failure = ctx.failure();
      if (failure != null) {
        send(ctx, failure);
        return;
      }
      code = ErrorCode.INTERNAL;
    }
    String message = switch (code) {
      case NOT_FOUND -> "no such resource: " + ctx.request().method() + " " + ctx.request().path();
      case TOO_LARGE -> "the request body is too large";
      case BAD_REQUEST -> "bad request";
      default -> code.code();
    };
    send(ctx, code, message);
  }
}
