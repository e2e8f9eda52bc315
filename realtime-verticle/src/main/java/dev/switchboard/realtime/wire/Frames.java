package dev.switchboard.realtime.wire;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.AnonymousCounts;
import dev.switchboard.protocol.PresenceDiff;
import dev.switchboard.protocol.PresenceState;
import dev.switchboard.protocol.PresenceUser;
import dev.switchboard.protocol.ResetReason;
import dev.switchboard.protocol.SessionPositions;
import dev.switchboard.protocol.Signal;
import dev.switchboard.protocol.StoredEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.List;

/**
 * Encodes every server-to-client frame of docs/PROTOCOL.md (Frames), one JSON object each.
 *
 * <pre>
 * {"type":"event","eventId":"7","eventType":"vote","timestamp":"2026-11-22T10:00:00.123Z",
 *  "sessionId":"poll:42","userId":"u1","payload":{"option":"b"}}
 * </pre>
 */
public final class Frames {

  /** ISO-8601 UTC with exactly three fraction digits, as docs/PROTOCOL.md (Frames) promises. */
  private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

  private static final Buffer PONG = new JsonObject().put("type", "pong").toBuffer();
  private static final Buffer PING = new JsonObject().put("type", "ping").toBuffer();

  private Frames() {
  }

  public static String timestamp(long epochMillis) {
    return TIMESTAMP.format(Instant.ofEpochMilli(epochMillis));
  }

  /** The {@code event} frame; the payload is already JSON text and is copied in verbatim. */
  public static Buffer event(StoredEvent e) {
    StringBuilder json = new StringBuilder(128 + e.payload().length());
    json.append("{\"type\":\"event\",\"eventId\":\"").append(e.seq())
        .append("\",\"eventType\":").append(Json.encode(e.eventType()))
        .append(",\"timestamp\":\"").append(timestamp(e.timestamp()))
        .append("\",\"sessionId\":").append(Json.encode(e.sessionId()))
        .append(",\"userId\":").append(e.userId() == null ? "null" : Json.encode(e.userId()))
        .append(",\"payload\":").append(e.payload())
        .append('}');
    return Buffer.buffer(json.toString());
  }

  public static Buffer connected(String connectionId, String userId, int heartbeatSec) {
    return new JsonObject().put("type", "connected").put("connectionId", connectionId).put("userId", userId)
        .put("heartbeatSec", heartbeatSec).toBuffer();
  }

  /**
   * {@code replayed}, with the user's read and delivered positions as they were when the subscription started
   * (absent for a subscription that has none: the server's own).
   * <pre>
   * {"type":"replayed","sessionId":"user:ada","lastEventId":"7","readEventId":"5","deliveredEventId":"6"}
   * </pre>
   */
  public static Buffer replayed(String sessionId, long lastEventId, SessionPositions positions) {
    JsonObject frame = new JsonObject().put("type", "replayed").put("sessionId", sessionId)
        .put("lastEventId", Long.toString(lastEventId));
    if (positions != null) {
      frame.put("readEventId", Long.toString(positions.readOrZero()))
          .put("deliveredEventId", Long.toString(positions.delivered()));
    }
    return frame.toBuffer();
  }

  /**
   * A user's positions in one session as REST answers them, and the body of a {@code positions} frame:
   * {@code {"sessionId","lastEventId","deliveredEventId","readEventId","unread"}}.
   */
  public static JsonObject positions(SessionPositions positions) {
    return new JsonObject().put("sessionId", positions.sessionId())
        .put("lastEventId", Long.toString(positions.head()))
        .put("deliveredEventId", Long.toString(positions.delivered()))
        .put("readEventId", Long.toString(positions.readOrZero()))
        .put("unread", positions.unread());
  }

  /** {@code positions}: the answer to a {@code read} frame, the positions in force after it. */
  public static Buffer positions(Object requestId, SessionPositions positions) {
    JsonObject frame = new JsonObject().put("type", "positions");
    if (requestId != null) {
      frame.put("requestId", requestId);
    }
    return frame.mergeIn(positions(positions)).toBuffer();
  }

  public static Buffer reset(String sessionId, ResetReason reason, long lastEventId) {
    return new JsonObject().put("type", "reset").put("sessionId", sessionId).mergeIn(resetInfo(reason, lastEventId))
        .toBuffer();
  }

  /** Why a position cannot be resumed and where live delivery continues: {@code {"reason","lastEventId"}}. */
  public static JsonObject resetInfo(ResetReason reason, long lastEventId) {
    return new JsonObject().put("reason", reason.wire()).put("lastEventId", Long.toString(lastEventId));
  }

  /**
   * {@code presence.diff}: who joined and left a session during one interval, or, above the broadcast max, how many;
   * and the anonymous subscribers present by actor type.
   * <pre>
   * {"type":"presence.diff","sessionId":"poll:42","joins":[{"userId":"bob","name":"Bob","actorType":null}],
   *  "leaves":[],"count":2,"anonymous":{}}
   * {"type":"presence.diff","sessionId":"poll:42","joined":40,"left":3,"count":2500,"anonymous":{"display":2}}
   * </pre>
   */
  public static Buffer presenceDiff(PresenceDiff diff) {
    JsonObject frame = new JsonObject().put("type", "presence.diff").put("sessionId", diff.sessionId());
    if (diff.listsUsers()) {
      frame.put("joins", PresenceUser.toJson(diff.joins())).put("leaves", PresenceUser.toJson(diff.leaves()));
    } else {
      frame.put("joined", diff.joined()).put("left", diff.left());
    }
    return frame.put("count", diff.count()).put("anonymous", AnonymousCounts.toJson(diff.anonymous())).toBuffer();
  }

  /** {@code presence.state}: one page of users, the count of all, and {@code nextCursor} when a page follows. */
  public static Buffer presenceState(PresenceState state) {
    JsonObject frame = new JsonObject().put("type", "presence.state").put("sessionId", state.sessionId())
        .put("users", state.usersJson()).put("count", state.count())
        .put("anonymous", AnonymousCounts.toJson(state.anonymous()));
    if (state.nextCursor() != null) {
      frame.put("nextCursor", state.nextCursor());
    }
    return frame.toBuffer();
  }

  /** The {@code signal} frame; like events, the payload is JSON text copied in verbatim. */
  public static Buffer signal(Signal signal) {
    StringBuilder json = new StringBuilder(96 + signal.payload().length());
    json.append("{\"type\":\"signal\",\"sessionId\":").append(Json.encode(signal.sessionId()))
        .append(",\"userId\":").append(signal.userId() == null ? "null" : Json.encode(signal.userId()))
        .append(",\"eventType\":").append(Json.encode(signal.eventType()))
        .append(",\"payload\":").append(signal.payload())
        .append('}');
    return Buffer.buffer(json.toString());
  }

  /**
   * {@code unsubscribed}: the server ended a subscription (a refreshed token no longer allows the session); nothing
   * of it follows. {@code {"type":"unsubscribed","sessionId","code","message"}}
   */
  public static Buffer unsubscribed(String sessionId, Refusal why) {
    return new JsonObject().put("type", "unsubscribed").put("sessionId", sessionId).put("code", why.code().code())
        .put("message", why.message()).toBuffer();
  }

  /**
   * {@code ack}: the publish is stored. {@code duplicate} (only when true) says its idempotency key was already
   * stored, so nothing new was: the eventId and timestamp are the original's, as REST's 200 says.
   */
  public static Buffer ack(Object requestId, long eventId, long timestamp, boolean duplicate) {
    JsonObject json = new JsonObject().put("type", "ack").put("requestId", requestId)
        .put("eventId", Long.toString(eventId)).put("timestamp", timestamp(timestamp));
    if (duplicate) {
      json.put("duplicate", true);
    }
    return json.toBuffer();
  }

  public static Buffer error(Object requestId, ErrorCode code, String message) {
    JsonObject json = new JsonObject().put("type", "error");
    if (requestId != null) {
      json.put("requestId", requestId);
    }
    return json.put("code", code.code()).put("message", message).put("retryable", code.retryable()).toBuffer();
  }

  /**
   * The answer of history and long polls: {@code {"events":[...],"lastEventId":"N"}}, each event as its WebSocket
   * frame, plus {@code "reset"} when the position could not be served.
   */
  public static Buffer eventPage(List<Buffer> events, long lastEventId, JsonObject reset) {
    Buffer page = Buffer.buffer(256).appendString("{\"events\":[");
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        page.appendString(",");
      }
      page.appendBuffer(events.get(i));
    }
    page.appendString("],\"lastEventId\":\"").appendString(Long.toString(lastEventId)).appendString("\"");
    if (reset != null) {
      page.appendString(",\"reset\":").appendString(reset.encode());
    }
    return page.appendString("}");
  }

  public static Buffer pong() {
    return PONG;
  }

  /** The SSE liveness frame. */
  public static Buffer ping() {
    return PING;
  }
}
