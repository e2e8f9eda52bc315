package dev.switchboard.realtime.positions;

import dev.switchboard.protocol.PositionsList;
import dev.switchboard.protocol.PositionsQuery;
import dev.switchboard.protocol.Principal;
import dev.switchboard.protocol.ReadChange;
import dev.switchboard.protocol.ReadRequest;
import dev.switchboard.protocol.SessionIds;
import dev.switchboard.protocol.SessionPositions;
import dev.switchboard.realtime.RoleClient;
import dev.switchboard.realtime.wire.Refusal;
import dev.switchboard.realtime.wire.WholeNumbers;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A user's read positions as every transport uses them (docs/PROTOCOL.md, Read positions): where a subscription
 * without {@code fromEventId} starts, what {@code replayed} reports, moving the read position forward (a {@code read}
 * frame or {@code POST /me/sessions/{S}/read}), and the listing of {@code GET /me/sessions}. Only the user's own
 * positions, and only in sessions their token lets them read.
 */
public final class ReadPositions {

  private static final Logger LOG = LoggerFactory.getLogger(ReadPositions.class);
  private static final PositionsList NONE = new PositionsList(List.of());

  private final RoleClient roles;

  public ReadPositions(RoleClient roles) {
    this.roles = roles;
  }

  /**
   * The user's positions in sessions they are subscribing to (already allowed); never fails: when persistence cannot
   * answer, the list is empty and the subscriptions start as if the user had no positions. The server's own
   * principal and reserved sessions have none.
   */
  public Future<PositionsList> forSubscribing(Principal principal, List<String> sessionIds) {
    List<String> tracked = sessionIds.stream().filter(id -> !SessionIds.isReserved(id)).toList();
    if (principal == Principal.INTERNAL || principal.userId() == null || tracked.isEmpty()) {
      return Future.succeededFuture(NONE);
    }
    return roles.positions(new PositionsQuery(principal.userId(), tracked, false)).otherwise(failure -> {
      LOG.warn("read positions unavailable; subscriptions start without them: {}", failure.getMessage());
      return NONE;
    });
  }

  /**
   * Where a subscription starts: after {@code fromEventId} when the client named one; else after the user's read
   * position when they set one, or after 0 in their personal session ({@code user:<sub>}, an inbox read from its
   * start); else null, live.
   */
  public static Long startAfter(Principal principal, String sessionId, Long fromEventId, SessionPositions positions) {
    if (fromEventId != null) {
      return fromEventId;
    }
    if (positions != null && positions.read() != null) {
      return positions.read();
    }
    return principal.userId() != null && sessionId.equals(Principal.PERSONAL_PREFIX + principal.userId()) ? 0L : null;
  }

  /**
   * Moves the user's read position in a session forward to {@code eventId} (a decimal string or an integer), then
   * tells the user's other connections ({@link ReadChanges}); {@code originConnectionId} is the WebSocket that asked
   * (it gets the answer instead), or null.
   */
  public Future<SessionPositions> markRead(Principal principal, String sessionId, Object eventId,
                                           String originConnectionId) {
    Long position = WholeNumbers.parse(eventId);
    if (position == null) {
      return Future.failedFuture(Refusal.BAD_READ_POSITION.failure());
    }
    if (!SessionIds.isValid(sessionId)) {
      return Future.failedFuture(Refusal.BAD_SESSION_ID.failure());
    }
    if (principal.userId() == null || !principal.canSubscribe(sessionId)) {
      return Future.failedFuture(Refusal.SESSION_FORBIDDEN.failure());
    }
    return roles.markRead(new ReadRequest(principal.userId(), sessionId, position))
        .onSuccess(positions -> roles.readChanged(new ReadChange(principal.userId(), originConnectionId, positions)));
  }

  /**
   * The user's sessions with their positions: their personal session first, then {@code named} (already allowed),
   * then every other session they have positions in, leaving out those their token no longer allows.
   */
  public Future<List<SessionPositions>> list(Principal principal, List<String> named) {
    Set<String> first = new LinkedHashSet<>();
    first.add(Principal.PERSONAL_PREFIX + principal.userId());
    first.addAll(named);
    return roles.positions(new PositionsQuery(principal.userId(), new ArrayList<>(first), true))
        .map(list -> list.sessions().stream().filter(p -> principal.canSubscribe(p.sessionId())).toList());
  }
}
