package dev.switchboard.client;

import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

import java.io.IOException;
import java.util.List;

import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The error an HTTP answer or a failed call stands for: the body's {@code {"error":{code,message,retryable}}} when
 * present, else its status; with the {@code sessionIds} a {@code 403} names and the {@code Retry-After} wait.
 */
final class HttpErrors {

  private HttpErrors() {
  }

  /** Reads the answer's body (call before the response is closed). */
  static SwitchboardException fromResponse(Response response) {
    int status = response.code();
    ErrorCode code = ErrorCode.fromStatus(status);
    String message = "HTTP " + status;
    Boolean retryable = null;
    List<String> sessionIds = null;
    String text = body(response.body());
    JsonValue parsed = text == null ? null : Frames.parseValue(text);
    JsonValue error = parsed == null || !parsed.isObject() ? null : parsed.asObject().get("error");
    if (error != null && error.isObject() && Frames.string(error.asObject(), "code") != null) {
      JsonObject details = error.asObject();
      code = ErrorCode.fromWire(Frames.string(details, "code"));
      message = Frames.string(details, "message") == null ? message : Frames.string(details, "message");
      JsonValue flag = details.get("retryable");
      retryable = flag != null && flag.isBoolean() ? flag.asBoolean() : null;
      sessionIds = Frames.strings(details.get("sessionIds"));
    }
    return new SwitchboardException(code, message, status, retryAfterMs(response), retryable, null, sessionIds,
        null);
  }

  /** A call that got no answer. */
  static SwitchboardException fromFailure(Throwable failure) {
    return SwitchboardException.of(ErrorCode.NETWORK, "the server could not be reached: " + failure, failure);
  }

  /** The error an {@code error} frame stands for. */
  static SwitchboardException fromFrame(JsonObject frame, String fallbackMessage) {
    JsonValue flag = frame.get("retryable");
    String message = Frames.string(frame, "message");
    return new SwitchboardException(ErrorCode.fromWire(Frames.string(frame, "code")),
        message == null ? fallbackMessage : message, 0, -1, flag != null && flag.isBoolean() ? flag.asBoolean() : null,
        Frames.string(frame, "sessionId"), null, null);
  }

  private static long retryAfterMs(Response response) {
    String header = response.header("Retry-After");
    try {
      return header == null ? -1 : Long.parseLong(header.trim()) * 1000;
    } catch (NumberFormatException notSeconds) {
      return -1;
    }
  }

  private static String body(ResponseBody body) {
    try {
      return body == null ? null : body.string();
    } catch (IOException | IllegalStateException unreadable) {
      return null;
    }
  }
}
