package dev.switchboard.testsupport;

/**
 * The eventIds one test subscriber received, in arrival order: its position (the last eventId received in order,
 * where a resume starts), and how many came twice or after a gap. Not thread-safe: its owner guards it.
 */
public final class EventSequence {

  private long last;
  private int duplicates;
  private int gaps;

  /** The subscriber starts (or resumes) after {@code eventId}. */
  public void moveTo(long eventId) {
    last = eventId;
  }

  /** Counts {@code eventId}; returns whether it was new (past the position). */
  public boolean received(long eventId) {
    if (eventId <= last) {
      duplicates++;
      return false;
    }
    if (eventId != last + 1) {
      gaps++;
    }
    last = eventId;
    return true;
  }

  public long position() {
    return last;
  }

  public int duplicates() {
    return duplicates;
  }

  public int gaps() {
    return gaps;
  }
}
