package dev.switchboard.presence;

import dev.switchboard.protocol.PresenceAction;
import dev.switchboard.protocol.PresenceUser;

/**
 * A user's first connection joined, or last connection left, a session: what the store reports and
 * {@link PresenceDiffs} collects until the session's next {@code presence.diff}.
 */
public record PresenceChange(String sessionId, PresenceAction action, PresenceUser user) {
}
