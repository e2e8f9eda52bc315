package dev.switchboard.realtime.http;

import org.slf4j.Logger;

/**
 * One log line per interval at most for a kind of refusal a client can repeat at will; the lines skipped meanwhile are
 * counted into the next. A flood of bad requests costs the log one line per interval (docs/ARCHITECTURE.md, Connections that never finish).
 * Thread-safe: one per node, written from every edge loop.
 */
final class ThrottledLog {

  /** How often a line of one kind is written at most. */
  static final long EVERY_MS = 10_000;

  private final Logger log;
  private final boolean warn;
  private boolean logged;
  private long lastLoggedAt;
  private int unlogged;

  private ThrottledLog(Logger log, boolean warn) {
    this.log = log;
    this.warn = warn;
  }

  static ThrottledLog info(Logger log) {
    return new ThrottledLog(log, false);
  }

  static ThrottledLog warn(Logger log) {
    return new ThrottledLog(log, true);
  }

  /** Logs {@code format} (SLF4J placeholders) unless a line was written less than {@link #EVERY_MS} ago. */
  synchronized void log(long nowMs, String format, Object... args) {
    if (logged && nowMs - lastLoggedAt < EVERY_MS) {
      unlogged++;
      return;
    }
    String line = unlogged == 0 ? format : format + "; " + unlogged + " more since the last such line";
    unlogged = 0;
    logged = true;
    lastLoggedAt = nowMs;
    if (warn) {
      log.warn(line, args);
    } else {
      log.info(line, args);
    }
  }
}
