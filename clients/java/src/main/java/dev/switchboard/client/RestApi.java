package dev.switchboard.client;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The REST calls the client makes (docs/PROTOCOL.md, REST): publishing while not on a WebSocket, history and
 * presence. Each answers a future completed on an OkHttp thread: a JSON body, or a {@link SwitchboardException}.
 */
final class RestApi {

  /** A 2xx answer: its status and body. */
  static final class Answer {
    final int status;
    final JsonObject body;

    Answer(int status, JsonObject body) {
      this.status = status;
      this.body = body;
    }
  }

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final OkHttpClient http;
  private final HttpUrl baseUrl;

  RestApi(OkHttpClient http, HttpUrl baseUrl) {
    this.http = http;
    this.baseUrl = baseUrl;
  }

  CompletableFuture<Answer> publish(String token, String sessionId, JsonObject body, long timeoutMs) {
    HttpUrl url = baseUrl.newBuilder().addPathSegment("sessions").addPathSegment(sessionId)
        .addPathSegment("events").build();
    return call(new Request.Builder().url(url).post(RequestBody.create(body.toString(), JSON)), token, timeoutMs);
  }

  CompletableFuture<Answer> history(String token, String sessionId, String after, int limit, long timeoutMs) {
    HttpUrl url = baseUrl.newBuilder().addPathSegment("sessions").addPathSegment(sessionId)
        .addPathSegment("events").addQueryParameter("after", after)
        .addQueryParameter("limit", Integer.toString(limit)).build();
    return call(new Request.Builder().url(url), token, timeoutMs);
  }

  CompletableFuture<Answer> presence(String token, String sessionId, String cursor, int limit, long timeoutMs) {
    HttpUrl.Builder url = baseUrl.newBuilder().addPathSegment("sessions").addPathSegment(sessionId)
        .addPathSegment("presence").addQueryParameter("limit", Integer.toString(limit));
    if (cursor != null) {
      url.addQueryParameter("cursor", cursor);
    }
    return call(new Request.Builder().url(url.build()), token, timeoutMs);
  }

  private CompletableFuture<Answer> call(Request.Builder request, String token, long timeoutMs) {
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    Call call = http.newCall(request.header("Authorization", "Bearer " + token).build());
    call.timeout().timeout(timeoutMs, TimeUnit.MILLISECONDS);
    call.enqueue(new Callback() {
      @Override
      public void onFailure(Call failed, IOException e) {
        answer.completeExceptionally(failed.isCanceled() || e instanceof java.io.InterruptedIOException
            ? SwitchboardException.of(ErrorCode.TIMEOUT, "the server did not answer in time", e)
            : HttpErrors.fromFailure(e));
      }

      @Override
      public void onResponse(Call done, Response received) {
        try (Response response = received) {
          if (!response.isSuccessful()) {
            answer.completeExceptionally(HttpErrors.fromResponse(response));
            return;
          }
          JsonValue body = Json.parse(response.body().string());
          answer.complete(new Answer(response.code(), body.isObject() ? body.asObject() : new JsonObject()));
        } catch (IOException | RuntimeException e) {
          answer.completeExceptionally(SwitchboardException.of(ErrorCode.NETWORK, "unreadable answer: " + e, e));
        }
      }
    });
    return answer;
  }
}
