package dev.switchboard.client;

import java.util.List;

/**
 * One page of a session's stored events ({@code GET /sessions/{S}/events}). {@code lastEventId} is where the next page
 * starts; a {@code resetReason} means the requested position could not be served and {@code resetHead} is the head.
 */
public final class HistoryPage {

  private final List<Event> events;
  private final String lastEventId;
  private final String resetReason;
  private final String resetHead;

  public HistoryPage(List<Event> events, String lastEventId, String resetReason, String resetHead) {
    this.events = events;
    this.lastEventId = lastEventId;
    this.resetReason = resetReason;
    this.resetHead = resetHead;
  }

  /** The events in eventId order, unmodifiable. */
  public List<Event> events() {
    return events;
  }

  public String lastEventId() {
    return lastEventId;
  }

  /** {@code unknown_event} or {@code history_expired}, or null when the position was served. */
  public String resetReason() {
    return resetReason;
  }

  public String resetHead() {
    return resetHead;
  }
}
