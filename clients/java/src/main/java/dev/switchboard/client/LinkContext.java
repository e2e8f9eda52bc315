package dev.switchboard.client;

import java.util.List;
import java.util.function.Supplier;

import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * What a transport needs from the client: where and how to connect, the token and positions in force, and where to
 * report (on the client loop). The connection's {@link Events} ignore a transport it has moved on from, which may
 * still report (a late close, a frame in flight).
 */
final class LinkContext {

  /** A subscribed session and the position it resumes after (null: live). */
  static final class SessionPosition {
    final String sessionId;
    final String position;

    SessionPosition(String sessionId, String position) {
      this.sessionId = sessionId;
      this.position = position;
    }
  }

  /** Where a transport reports, on the client loop. */
  interface Events {
    void opened();

    void frame(com.eclipsesource.json.JsonObject frame);

    /** A reopened SSE stream was refused sessions its token no longer allows: they end, the others go on. */
    void sessionsLost(List<String> sessionIds, SwitchboardException error);

    void closed(LinkClosed closed);
  }

  final OkHttpClient http;
  final HttpUrl baseUrl;
  final ClientLoop loop;
  final ClientOptions options;
  final Supplier<String> token;
  final Supplier<List<SessionPosition>> sessions;
  final Supplier<Transport> fallbackFrom;
  final Events events;

  LinkContext(OkHttpClient http, HttpUrl baseUrl, ClientLoop loop, ClientOptions options, Supplier<String> token,
      Supplier<List<SessionPosition>> sessions, Supplier<Transport> fallbackFrom, Events events) {
    this.http = http;
    this.baseUrl = baseUrl;
    this.loop = loop;
    this.options = options;
    this.token = token;
    this.sessions = sessions;
    this.fallbackFrom = fallbackFrom;
    this.events = events;
  }

  /** {@code /events}, with {@code fallbackFrom} when the client just changed transport. */
  HttpUrl.Builder eventsUrl() {
    HttpUrl.Builder url = baseUrl.newBuilder().addPathSegment("events");
    Transport from = fallbackFrom.get();
    if (from != null) {
      url.addQueryParameter("fallbackFrom", from.wire());
    }
    return url;
  }
}
