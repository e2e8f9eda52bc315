package dev.switchboard.client;

/** An ephemeral message from another connection of a session: not stored, delivered at most once. */
public final class Signal {

  private final String sessionId;
  private final String userId;
  private final String eventType;
  private final String payloadJson;

  public Signal(String sessionId, String userId, String eventType, String payloadJson) {
    this.sessionId = sessionId;
    this.userId = userId;
    this.eventType = eventType;
    this.payloadJson = payloadJson;
  }

  public String sessionId() {
    return sessionId;
  }

  /** The sender's user id. */
  public String userId() {
    return userId;
  }

  public String eventType() {
    return eventType;
  }

  /** The payload as compact JSON text. */
  public String payloadJson() {
    return payloadJson;
  }

  @Override
  public String toString() {
    return "Signal{" + sessionId + " " + eventType + " from " + userId + "}";
  }
}
