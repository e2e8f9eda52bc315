package dev.switchboard.client;

import com.eclipsesource.json.JsonObject;

/**
 * One attempt at a connection on one transport, from {@code open()} until it ends (reported once through
 * {@link LinkContext.Events#closed}) or is closed by the client. Used on the client loop only.
 */
interface Link {

  Transport transport();

  void open();

  /** Sends a frame; false when this transport cannot (SSE) or the connection is not open. */
  boolean send(JsonObject frame);

  void subscribe(String sessionId, String position);

  void unsubscribe(String sessionId);

  /** A refreshed token: an {@code auth} frame on a WebSocket, a reopened stream on SSE. */
  void setToken(String token);

  /** The network came back or the app came to the foreground: prove the connection now. */
  void checkLiveness();

  /** Ends the connection without reporting it. */
  void close();
}
