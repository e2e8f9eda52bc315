package dev.switchboard.realtime;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.AppendRequest;
import dev.switchboard.protocol.AppendResult;
import dev.switchboard.protocol.ControlOrder;
import dev.switchboard.protocol.DeliveredUpdate;
import dev.switchboard.protocol.DevTokenRequest;
import dev.switchboard.protocol.DevTokenResult;
import dev.switchboard.protocol.PositionsList;
import dev.switchboard.protocol.PositionsQuery;
import dev.switchboard.protocol.PresenceHeartbeat;
import dev.switchboard.protocol.PresenceQuery;
import dev.switchboard.protocol.PresenceState;
import dev.switchboard.protocol.PresenceUpdate;
import dev.switchboard.protocol.Principal;
import dev.switchboard.protocol.RateRequest;
import dev.switchboard.protocol.RateResult;
import dev.switchboard.protocol.ReadChange;
import dev.switchboard.protocol.ReadRequest;
import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.ReplayResult;
import dev.switchboard.protocol.RevokeRequest;
import dev.switchboard.protocol.SessionGrant;
import dev.switchboard.protocol.SessionPositions;
import dev.switchboard.protocol.SharedConfig;
import dev.switchboard.protocol.SharedConfig.RoleName;
import dev.switchboard.protocol.Signal;
import dev.switchboard.protocol.VerifyRequest;
import dev.switchboard.realtime.hub.EventLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The edge's typed view of the other roles over the event bus; failures arrive as catalogue errors
 * ({@link dev.switchboard.protocol.ErrorCode#of}).
 *
 * <p>A role that runs in this process is asked here only ({@code localOnly}): no network hop, and no wait on a
 * member that has just died. Reads (token checks, replays, presence queries) are retried on a timeout, because in a
 * cluster the bus can pick a member that died a moment ago and has not been dropped yet; each retry goes to the next
 * instance. Appends are not retried here: the client retries them with their idempotency key.
 */
public final class RoleClient implements EventLog {

  private static final DeliveryOptions APPEND = new DeliveryOptions().setSendTimeout(10_000);
  /** Timeouts of the successive attempts of a read: a dead member costs the first one, not the client's patience. */
  private static final long[] READ_TIMEOUTS_MS = {2_000, 4_000, 8_000};

  private final EventBus bus;
  private final Set<String> localAddresses;
  private final AtomicInteger appendsInFlight = new AtomicInteger();

  /** RoleClient that all run in this process (a single node, tests). */
  public RoleClient(Vertx vertx) {
    this(vertx, Set.of());
  }

  /** @param localAddresses the addresses whose role runs in this process (see {@link #localAddresses}) */
  public RoleClient(Vertx vertx, Set<String> localAddresses) {
    this.bus = vertx.eventBus();
    this.localAddresses = Set.copyOf(localAddresses);
  }

  /** The request addresses served by {@code roles}, the roles running in this process ({@link SharedConfig#roles}). */
  public static Set<String> localAddresses(Set<RoleName> roles) {
    Set<String> addresses = new HashSet<>();
    for (RoleName role : roles) {
      switch (role) {
        case AUTH -> addresses.addAll(List.of(Addresses.AUTH_VERIFY, Addresses.AUTH_VERIFY_SESSION,
            Addresses.AUTH_RATE, Addresses.AUTH_DEV_TOKEN, Addresses.AUTH_REVOKE));
        case PERSISTENCE -> addresses.addAll(List.of(Addresses.EVENTS_APPEND, Addresses.EVENTS_REPLAY,
            Addresses.POSITIONS_DELIVERED, Addresses.POSITIONS_READ, Addresses.POSITIONS_QUERY));
        case PRESENCE -> addresses.addAll(List.of(Addresses.PRESENCE_UPDATE, Addresses.PRESENCE_QUERY));
        case EDGE -> {
        }
      }
    }
    return addresses;
  }

  public Future<Principal> verify(String token) {
    return read(Addresses.AUTH_VERIFY, new VerifyRequest(token), 0);
  }

  /** A session token's grant (docs/PROTOCOL.md, Per-session tokens), or an {@code unauthorized} failure. */
  public Future<SessionGrant> verifySession(String token) {
    return read(Addresses.AUTH_VERIFY_SESSION, new VerifyRequest(token), 0);
  }

  public Future<RateResult> rate(RateRequest request) {
    return bus.<RateResult>request(Addresses.AUTH_RATE, request, options(Addresses.AUTH_RATE,
        READ_TIMEOUTS_MS[1])).map(Message::body);
  }

  public Future<DevTokenResult> devToken(DevTokenRequest request) {
    return read(Addresses.AUTH_DEV_TOKEN, request, 0);
  }

  public Future<AppendResult> append(AppendRequest request) {
    appendsInFlight.incrementAndGet();
    return bus.<AppendResult>request(Addresses.EVENTS_APPEND, request,
            localAddresses.contains(Addresses.EVENTS_APPEND) ? new DeliveryOptions(APPEND).setLocalOnly(true) : APPEND)
        .andThen(ar -> appendsInFlight.decrementAndGet())
        .map(Message::body);
  }

  /** Appends sent and not answered yet; a drain waits for them. */
  public int appendsInFlight() {
    return appendsInFlight.get();
  }

  @Override
  public Future<ReplayResult> replay(ReplayRequest request) {
    return read(Addresses.EVENTS_REPLAY, request, 0);
  }

  /** One edge's delivered positions since its last update; not retried (the next update carries them again). */
  public Future<Void> delivered(DeliveredUpdate update) {
    return bus.request(Addresses.POSITIONS_DELIVERED, update, options(Addresses.POSITIONS_DELIVERED,
        READ_TIMEOUTS_MS[1])).mapEmpty();
  }

  /**
   * Moves a read position forward. Retried on a timeout like a read: moving forward to the same place twice is the
   * same as once.
   */
  public Future<SessionPositions> markRead(ReadRequest request) {
    return read(Addresses.POSITIONS_READ, request, 0);
  }

  public Future<PositionsList> positions(PositionsQuery query) {
    return read(Addresses.POSITIONS_QUERY, query, 0);
  }

  /** Tells every edge that a user's read position moved, for their other connections. */
  public void readChanged(ReadChange change) {
    bus.publish(Addresses.POSITIONS_CHANGES, change);
  }

  public void presence(PresenceUpdate update) {
    bus.send(Addresses.PRESENCE_UPDATE, update, options(Addresses.PRESENCE_UPDATE, READ_TIMEOUTS_MS[0]));
  }

  public void presenceHeartbeat(PresenceHeartbeat heartbeat) {
    bus.send(Addresses.PRESENCE_UPDATE, heartbeat, options(Addresses.PRESENCE_UPDATE, READ_TIMEOUTS_MS[0]));
  }

  public Future<PresenceState> presenceState(PresenceQuery query) {
    return read(Addresses.PRESENCE_QUERY, query, 0);
  }

  public void signal(Signal signal) {
    bus.publish(Addresses.SIGNALS, signal);
  }

  /** Stores a revocation with auth; retried on a timeout like a read (revoking twice is revoking once). */
  public Future<Void> revoke(RevokeRequest request) {
    return read(Addresses.AUTH_REVOKE, request, 0).mapEmpty();
  }

  /** An operator's order, to every edge loop of the cluster. */
  public void order(ControlOrder order) {
    bus.publish(Addresses.CONTROL, order);
  }

  private <T> Future<T> read(String address, Object body, int attempt) {
    return bus.<T>request(address, body, options(address, READ_TIMEOUTS_MS[attempt])).map(Message::body)
        .recover(failure -> {
          boolean timedOut = failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT;
          return timedOut && attempt + 1 < READ_TIMEOUTS_MS.length ? read(address, body, attempt + 1)
              : Future.failedFuture(failure);
        });
  }

  private DeliveryOptions options(String address, long timeoutMs) {
    return new DeliveryOptions().setSendTimeout(timeoutMs).setLocalOnly(localAddresses.contains(address));
  }
}
