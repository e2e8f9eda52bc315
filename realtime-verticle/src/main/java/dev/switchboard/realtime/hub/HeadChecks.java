package dev.switchboard.realtime.hub;

/**
 * How often hubs compare their head with the log's, to repair a tail whose last live events were lost (a gap that no
 * later event reveals). Gaps in the middle of a stream are found by the next live event and need no check. These
 * are not settings: the edge always uses {@link #DEFAULT}, and hub tests their own.
 *
 * @param quietMs how long a session must be quiet after live events before the check
 * @param spacingMs the least time between two checks of one hub after activity
 * @param idleMs the longest time between two checks of one hub
 */
public record HeadChecks(long quietMs, long spacingMs, long idleMs) {

  public static final HeadChecks DEFAULT = new HeadChecks(2_000, 10_000, 30_000);

  /** How often the registry looks for hubs that are due. */
  static final long TICK_MS = 500;
}
