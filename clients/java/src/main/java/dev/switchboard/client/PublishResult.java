package dev.switchboard.client;

/** Where a published event was stored. */
public final class PublishResult {

  private final String eventId;
  private final String timestamp;
  private final boolean duplicate;

  public PublishResult(String eventId, String timestamp, boolean duplicate) {
    this.eventId = eventId;
    this.timestamp = timestamp;
    this.duplicate = duplicate;
  }

  public String eventId() {
    return eventId;
  }

  public String timestamp() {
    return timestamp;
  }

  /**
   * Whether the server said the idempotency key was already stored (a REST {@code 200}); a WebSocket ack of a repeated
   * key looks like any other, so false does not prove a first store.
   */
  public boolean duplicate() {
    return duplicate;
  }

  @Override
  public String toString() {
    return "PublishResult{" + eventId + (duplicate ? ", duplicate" : "") + "}";
  }
}
