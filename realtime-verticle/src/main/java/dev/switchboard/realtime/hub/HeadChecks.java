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

  /**
   * Whether a hub's head check is due at {@code now}: when live events arrived since its last check and have gone
   * quiet (the last of them may have been lost, and no later event would reveal that gap), at most once per
   * {@link #spacingMs}; every {@link #idleMs} in any case; or at once when {@code force} (cluster membership changed:
   * a member may have died between its commit and its publish).
   */
  boolean due(long now, long lastLiveAt, long lastCheckAt, boolean force) {
    boolean quietAfterActivity = lastLiveAt > lastCheckAt && now - lastLiveAt >= quietMs
        && now - lastCheckAt >= spacingMs;
    return force || quietAfterActivity || now - lastCheckAt >= idleMs;
  }
}
