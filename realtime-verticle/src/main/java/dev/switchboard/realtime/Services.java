package dev.switchboard.realtime;

import dev.switchboard.protocol.Addresses;
import dev.switchboard.protocol.AppendRequest;
import dev.switchboard.protocol.AppendResult;
import dev.switchboard.protocol.DevTokenRequest;
import dev.switchboard.protocol.DevTokenResult;
import dev.switchboard.protocol.PresenceHeartbeat;
import dev.switchboard.protocol.PresenceQuery;
import dev.switchboard.protocol.PresenceState;
import dev.switchboard.protocol.PresenceUpdate;
import dev.switchboard.protocol.Principal;
import dev.switchboard.protocol.RateRequest;
import dev.switchboard.protocol.RateResult;
import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.ReplayResult;
import dev.switchboard.protocol.Signal;
import dev.switchboard.protocol.VerifyRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

/**
 * The edge's typed view of the other roles over the event bus; failures arrive as catalogue errors
 * ({@link dev.switchboard.protocol.ErrorCode#of}).
 */
public final class Services implements EventLog {

  private static final DeliveryOptions REQUEST = new DeliveryOptions().setSendTimeout(10_000);

  private final EventBus bus;

  public Services(Vertx vertx) {
    this.bus = vertx.eventBus();
  }

  public Future<Principal> verify(String token) {
    return bus.<Principal>request(Addresses.AUTH_VERIFY, new VerifyRequest(token), REQUEST).map(Message::body);
  }

  public Future<RateResult> rate(String userId, int cost) {
    return bus.<RateResult>request(Addresses.AUTH_RATE, new RateRequest(userId, cost), REQUEST).map(Message::body);
  }

  public Future<DevTokenResult> devToken(DevTokenRequest request) {
    return bus.<DevTokenResult>request(Addresses.AUTH_DEV_TOKEN, request, REQUEST).map(Message::body);
  }

  public Future<AppendResult> append(AppendRequest request) {
    return bus.<AppendResult>request(Addresses.EVENTS_APPEND, request, REQUEST).map(Message::body);
  }

  @Override
  public Future<ReplayResult> replay(ReplayRequest request) {
    return bus.<ReplayResult>request(Addresses.EVENTS_REPLAY, request, REQUEST).map(Message::body);
  }

  public void presence(PresenceUpdate update) {
    bus.send(Addresses.PRESENCE_UPDATE, update);
  }

  public void presenceHeartbeat(PresenceHeartbeat heartbeat) {
    bus.send(Addresses.PRESENCE_UPDATE, heartbeat);
  }

  public Future<PresenceState> presenceState(PresenceQuery query) {
    return bus.<PresenceState>request(Addresses.PRESENCE_QUERY, query, REQUEST).map(Message::body);
  }

  public void signal(Signal signal) {
    bus.publish(Addresses.SIGNALS, signal);
  }
}
