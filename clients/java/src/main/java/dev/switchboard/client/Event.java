package dev.switchboard.client;

/**
 * A stored event of a session, as the server delivered it. The payload is kept as JSON text so that an application
 * parses it with the JSON library it already uses (Android's {@code org.json}, Moshi, Jackson, ...).
 */
public final class Event {

  private final String sessionId;
  private final String eventId;
  private final String eventType;
  private final String timestamp;
  private final String userId;
  private final String payloadJson;

  public Event(String sessionId, String eventId, String eventType, String timestamp, String userId,
      String payloadJson) {
    this.sessionId = sessionId;
    this.eventId = eventId;
    this.eventType = eventType;
    this.timestamp = timestamp;
    this.userId = userId;
    this.payloadJson = payloadJson;
  }

  public String sessionId() {
    return sessionId;
  }

  /** The decimal eventId: gapless and increasing within the session. */
  public String eventId() {
    return eventId;
  }

  /** The eventId as a number, for comparisons ({@code "10"} comes after {@code "9"}). */
  public long sequence() {
    return Long.parseLong(eventId);
  }

  public String eventType() {
    return eventType;
  }

  /** ISO-8601 UTC with milliseconds: when the event was stored. */
  public String timestamp() {
    return timestamp;
  }

  /** The publisher's user id, or null for an event of the server API key without one. */
  public String userId() {
    return userId;
  }

  /** The payload as compact JSON text ({@code "null"} when the publish had none). */
  public String payloadJson() {
    return payloadJson;
  }

  @Override
  public String toString() {
    return "Event{" + sessionId + "#" + eventId + " " + eventType + "}";
  }
}
