package dev.switchboard.client;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.eclipsesource.json.ParseException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reading server frames and building client frames (docs/PROTOCOL.md, Frames), the one place that knows fields. */
final class Frames {

  private Frames() {
  }

  /** A frame as a JSON object, or null for anything else (a frame without a string type included). */
  static JsonObject parse(String text) {
    try {
      JsonValue value = Json.parse(text);
      if (value.isObject() && value.asObject().get("type") != null && value.asObject().get("type").isString()) {
        return value.asObject();
      }
      return null;
    } catch (ParseException | UnsupportedOperationException malformed) {
      return null; // not JSON: ignored, as the protocol says unknown content is
    }
  }

  /** Any JSON value (an HTTP body), or null when the text is not JSON (a proxy's HTML page, say). */
  static JsonValue parseValue(String text) {
    try {
      return Json.parse(text);
    } catch (ParseException | UnsupportedOperationException malformed) {
      return null;
    }
  }

  static String type(JsonObject frame) {
    return string(frame, "type");
  }

  /** A string field, or null when absent or not a string. */
  static String string(JsonObject object, String name) {
    JsonValue value = object.get(name);
    return value != null && value.isString() ? value.asString() : null;
  }

  /** An eventId field: a decimal string (or, leniently, a JSON number), or null. */
  static String eventId(JsonObject object, String name) {
    JsonValue value = object.get(name);
    if (value == null) {
      return null;
    }
    if (value.isString()) {
      return value.asString();
    }
    return value.isNumber() ? Long.toString(value.asLong()) : null;
  }

  static int integer(JsonObject object, String name, int fallback) {
    JsonValue value = object.get(name);
    return value != null && value.isNumber() ? value.asInt() : fallback;
  }

  static int compareEventIds(String a, String b) {
    return Long.compare(Long.parseLong(a), Long.parseLong(b));
  }

  static Event event(JsonObject frame) {
    JsonValue payload = frame.get("payload");
    return new Event(string(frame, "sessionId"), eventId(frame, "eventId"), string(frame, "eventType"),
        string(frame, "timestamp"), string(frame, "userId"), payload == null ? "null" : payload.toString());
  }

  static Signal signal(JsonObject frame) {
    JsonValue payload = frame.get("payload");
    return new Signal(string(frame, "sessionId"), string(frame, "userId"), string(frame, "eventType"),
        payload == null ? "null" : payload.toString());
  }

  static PresenceUser user(JsonValue value) {
    if (value == null || !value.isObject() || string(value.asObject(), "userId") == null) {
      return null;
    }
    JsonObject user = value.asObject();
    return new PresenceUser(string(user, "userId"), string(user, "name"), string(user, "actorType"));
  }

  /** The users of an array field; null when the field is not an array (a counts-only diff). */
  static List<PresenceUser> users(JsonObject frame, String name) {
    JsonValue value = frame.get(name);
    if (value == null || !value.isArray()) {
      return null;
    }
    List<PresenceUser> users = new ArrayList<>();
    for (JsonValue item : value.asArray()) {
      PresenceUser user = user(item);
      if (user != null) {
        users.add(user);
      }
    }
    return users;
  }

  static List<String> strings(JsonValue value) {
    if (value == null || !value.isArray()) {
      return Collections.emptyList();
    }
    List<String> strings = new ArrayList<>();
    for (JsonValue item : value.asArray()) {
      if (item.isString()) {
        strings.add(item.asString());
      }
    }
    return strings;
  }

  /** Parses an application's payload; an IllegalArgumentException names what is wrong with it. */
  static JsonValue payload(String payloadJson) {
    if (payloadJson == null) {
      return Json.NULL;
    }
    try {
      return Json.parse(payloadJson);
    } catch (ParseException e) {
      throw new IllegalArgumentException("the payload is not JSON: " + e.getMessage(), e);
    }
  }

  static JsonObject subscribe(String sessionId, String position) {
    JsonObject frame = Json.object().add("type", "subscribe").add("requestId", "subscribe:" + sessionId)
        .add("sessionId", sessionId);
    return position == null ? frame : frame.add("fromEventId", position);
  }

  static JsonObject unsubscribe(String sessionId) {
    return Json.object().add("type", "unsubscribe").add("sessionId", sessionId);
  }

  static JsonObject auth(String token) {
    return Json.object().add("type", "auth").add("token", token);
  }

  static JsonObject ping() {
    return Json.object().add("type", "ping");
  }

  static JsonObject signal(String sessionId, String eventType, JsonValue payload) {
    return Json.object().add("type", "signal").add("sessionId", sessionId).add("eventType", eventType)
        .add("payload", payload);
  }

  /** A publish's body: {@code eventType}, {@code payload}, {@code idempotencyKey} (REST and the frame alike). */
  static JsonObject publishBody(String eventType, JsonValue payload, String idempotencyKey) {
    return Json.object().add("eventType", eventType).add("payload", payload).add("idempotencyKey", idempotencyKey);
  }

  static JsonObject publishFrame(String requestId, String sessionId, JsonObject body) {
    JsonObject frame = Json.object().add("type", "publish").add("requestId", requestId).add("sessionId", sessionId);
    for (JsonObject.Member member : body) {
      frame.add(member.getName(), member.getValue());
    }
    return frame;
  }
}
