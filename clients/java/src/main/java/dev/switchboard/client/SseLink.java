package dev.switchboard.client;

import com.eclipsesource.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;

/**
 * Server-Sent Events: one {@code GET /events} stream for every session (the sessionId repeated), the token in
 * {@code Authorization}, resume positions in {@code Last-Event-ID} as {@code s1=5,s2=7} (a session not listed starts
 * live). Publishing goes over REST; signals cannot be sent.
 *
 * <p>Changing the sessions or the token replaces the stream: the new one resumes from the positions the client
 * holds, and the client drops whatever both streams delivered. A reopened stream refused with a {@code 403} naming
 * sessions the token no longer allows drops those and opens again with the others.
 */
final class SseLink implements Link {

  /** SSE pings come every {@code heartbeatSec}; a stream silent for two intervals is dead (PROTOCOL.md, SSE). */
  private static final long DEFAULT_PING_MS = 5_000;

  /** One stream, so that reports of a replaced one are ignored. */
  private static final class Stream {
    EventSource source;
    boolean aborted;
    SwitchboardException error;

    void abort() {
      aborted = true;
      if (source != null) {
        source.cancel();
      }
    }
  }

  private final LinkContext ctx;
  private final OkHttpClient streaming;
  private final LoopTimer watchdog;
  private Stream stream;
  private boolean open;
  private boolean ended;
  private long lastFrameAt;
  private long silenceMs = 2 * DEFAULT_PING_MS;

  SseLink(LinkContext ctx) {
    this.ctx = ctx;
    // A stream is quiet for up to heartbeatSec between pings: the watchdog, not a read timeout, decides it is dead.
    this.streaming = ctx.http.newBuilder().readTimeout(0, java.util.concurrent.TimeUnit.MILLISECONDS).build();
    this.watchdog = new LoopTimer(ctx.loop);
  }

  @Override
  public Transport transport() {
    return Transport.SSE;
  }

  @Override
  public void open() {
    startStream();
  }

  @Override
  public boolean send(JsonObject frame) {
    return false;
  }

  @Override
  public void subscribe(String sessionId, String position) {
    restart();
  }

  @Override
  public void unsubscribe(String sessionId) {
    restart();
  }

  @Override
  public void setToken(String token) {
    restart();
  }

  @Override
  public void checkLiveness() {
    if (open && !ended && ctx.loop.now() - lastFrameAt >= silenceMs / 2) {
      restart();
    }
  }

  @Override
  public void close() {
    ended = true;
    watchdog.cancel();
    if (stream != null) {
      stream.abort();
    }
  }

  private void restart() {
    if (ended) {
      return;
    }
    if (stream != null) {
      stream.abort();
    }
    startStream();
  }

  private void startStream() {
    List<LinkContext.SessionPosition> sessions = ctx.sessions.get();
    lastFrameAt = ctx.loop.now();
    if (sessions.isEmpty()) {
      // A stream needs a session; with none there is nothing to carry until one is subscribed.
      stream = null;
      watchdog.cancel();
      if (!open) {
        open = true;
        ctx.loop.execute(() -> {
          if (!ended) {
            ctx.events.opened();
          }
        });
      }
      return;
    }
    HttpUrl.Builder url = ctx.eventsUrl();
    StringBuilder cursor = new StringBuilder();
    for (LinkContext.SessionPosition session : sessions) {
      url.addQueryParameter("sessionId", session.sessionId);
      if (session.position != null) {
        cursor.append(cursor.length() == 0 ? "" : ",").append(session.sessionId).append('=').append(session.position);
      }
    }
    Request.Builder request = new Request.Builder().url(url.build()).header("Accept", "text/event-stream")
        .header("Authorization", "Bearer " + ctx.token.get());
    if (cursor.length() > 0) {
      request.header("Last-Event-ID", cursor.toString());
    }
    Stream started = new Stream();
    stream = started;
    armWatchdog(open ? silenceMs : ctx.options.connectTimeoutMs);
    List<String> ids = new ArrayList<>();
    for (LinkContext.SessionPosition session : sessions) {
      ids.add(session.sessionId);
    }
    started.source = EventSources.createFactory(streaming).newEventSource(request.build(), new Listener(started, ids));
  }

  private void receive(Stream from, String data) {
    if (from.aborted || ended) {
      return;
    }
    lastFrameAt = ctx.loop.now();
    JsonObject frame = Frames.parse(data);
    if (frame == null) {
      return;
    }
    String type = Frames.type(frame);
    if ("connected".equals(type)) {
      int heartbeatSec = Frames.integer(frame, "heartbeatSec", 0);
      if (heartbeatSec > 0) {
        silenceMs = 2 * heartbeatSec * 1000L;
      }
      armWatchdog(silenceMs);
      if (!open) {
        open = true;
        ctx.events.opened();
      }
      return;
    }
    if ("ping".equals(type)) {
      return;
    }
    if ("error".equals(type)) {
      // The server ends a stream after an error frame (token expired, slow consumer, store unavailable).
      from.error = HttpErrors.fromFrame(frame, "the stream ended");
    }
    ctx.events.frame(frame);
  }

  /** The stream failed or was refused: drop the sessions the token no longer allows and go on, or give up. */
  private void failed(Stream from, SwitchboardException error, List<String> sessionIds) {
    if (from.aborted || ended) {
      return;
    }
    List<String> lost = new ArrayList<>();
    if (error.code() == ErrorCode.FORBIDDEN) {
      for (String id : error.sessionIds()) {
        if (sessionIds.contains(id)) {
          lost.add(id);
        }
      }
    }
    if (lost.isEmpty()) {
      finish(error);
      return;
    }
    ctx.events.sessionsLost(lost, error);
    restart();
  }

  private void armWatchdog(long delayMs) {
    watchdog.arm(delayMs, this::checkSilence);
  }

  /** No frame (not even the ping) for two intervals: the stream is dead even if no error says so. */
  private void checkSilence() {
    if (ended) {
      return;
    }
    long limit = open ? silenceMs : ctx.options.connectTimeoutMs;
    long quiet = ctx.loop.now() - lastFrameAt;
    if (quiet >= limit) {
      if (stream != null) {
        stream.abort();
      }
      finish(new SwitchboardException(ErrorCode.TIMEOUT, open ? "the stream went silent" : "connect timeout"));
    } else {
      armWatchdog(limit - quiet);
    }
  }

  private void finish(SwitchboardException error) {
    if (ended) {
      return;
    }
    ended = true;
    watchdog.cancel();
    ctx.events.closed(new LinkClosed(open, LinkClosed.actionOf(error), error));
  }

  /** okhttp-sse's callbacks, on its threads: each hops onto the client loop in the order it came. */
  private final class Listener extends EventSourceListener {
    private final Stream stream;
    private final List<String> sessionIds;

    Listener(Stream stream, List<String> sessionIds) {
      this.stream = stream;
      this.sessionIds = sessionIds;
    }

    @Override
    public void onEvent(EventSource source, String id, String type, String data) {
      ctx.loop.execute(() -> receive(stream, data));
    }

    @Override
    public void onClosed(EventSource source) {
      ctx.loop.execute(() -> failed(stream, stream.error != null ? stream.error
          : new SwitchboardException(ErrorCode.DISCONNECTED, "the server ended the stream"), sessionIds));
    }

    @Override
    public void onFailure(EventSource source, Throwable failure, Response response) {
      // The body of a refusal can be read only here, before okhttp-sse closes the response.
      SwitchboardException error = response != null && !response.isSuccessful()
          ? HttpErrors.fromResponse(response)
          : SwitchboardException.of(ErrorCode.NETWORK, "the stream failed: " + failure, failure);
      ctx.loop.execute(() -> failed(stream, error, sessionIds));
    }
  }
}
