package dev.switchboard.client;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which transport the client is on, and when to step down: repeated failures to even connect mean something is in
 * the way (a proxy that refuses upgrades); a transport that has worked on this client gets more attempts, since then
 * a failure is more likely an outage. Stepping back up to WebSocket is the upgrade probe's decision.
 */
final class TransportLadder {

  private final List<Transport> transports;
  private final int fallbackAfter;
  private final int fallbackAfterWorked;
  private final Set<Transport> everOpened = EnumSet.noneOf(Transport.class);
  private int index;
  private int failures;
  private Transport cameFrom;

  TransportLadder(List<Transport> transports, int fallbackAfter, int fallbackAfterWorked) {
    this.transports = transports;
    this.fallbackAfter = fallbackAfter;
    this.fallbackAfterWorked = fallbackAfterWorked;
  }

  Transport current() {
    return transports.get(index);
  }

  /** Whether the client runs below WebSocket while WebSocket is one of its transports. */
  boolean onFallback() {
    return transports.contains(Transport.WEBSOCKET) && current() != Transport.WEBSOCKET;
  }

  /** The transport used just before the current one, until the current one connects: sent as {@code fallbackFrom}. */
  Transport cameFrom() {
    return cameFrom;
  }

  void reset() {
    index = 0;
    failures = 0;
    cameFrom = null;
  }

  void opened() {
    cameFrom = null;
    failures = 0;
    everOpened.add(current());
  }

  /** An attempt ended before it connected; true when the ladder stepped down for it. */
  boolean failedToConnect() {
    failures++;
    int limit = everOpened.contains(current()) ? fallbackAfterWorked : fallbackAfter;
    if (index < transports.size() - 1 && failures >= limit) {
      cameFrom = current();
      index++;
      failures = 0;
      return true;
    }
    return false;
  }

  /** A WebSocket probe got through: back to the top. */
  void returnToWebSocket() {
    if (current() != Transport.WEBSOCKET) {
      cameFrom = current();
    }
    index = transports.indexOf(Transport.WEBSOCKET);
    failures = 0;
  }
}
