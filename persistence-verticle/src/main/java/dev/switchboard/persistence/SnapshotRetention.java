package dev.switchboard.persistence;

/**
 * The retention rule for snapshots (docs/PROTOCOL.md, Snapshots): retention never deletes a session's newest
 * {@value #EVENT_TYPE} event nor anything after the position it says it covers, so a session older than the history
 * window still loads whole from its newest snapshot and the events after it.
 *
 * <p>The snapshot's payload may name that position as {@code "after": "<eventId>"} (the state it holds covers every
 * event up to it); without one, or with one that is not an eventId below the snapshot's own, the snapshot covers
 * everything before itself. A snapshot holds back at most {@link #MAX_SPAN} events before itself, so that a
 * snapshot naming {@code "after":"0"} cannot keep a session's whole history forever.
 */
final class SnapshotRetention {

  /** The reserved event type of snapshots. */
  static final String EVENT_TYPE = "sb.snapshot";

  /** The most events before a snapshot that its {@code after} keeps from retention. */
  static final long MAX_SPAN = 10_000;

  private SnapshotRetention() {
  }
}
