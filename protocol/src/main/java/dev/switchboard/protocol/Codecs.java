package dev.switchboard.protocol;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;

import java.util.List;

/**
 * Registers the wire codec of every event bus record as its default codec, so a record can be sent as it is.
 */
public final class Codecs {

  /** Every codec, one per record type; a test round-trips each through the wire encoding. */
  public static final List<Registration<?>> ALL = List.of(
      new Registration<>(StoredEvent.class, StoredEvent::toJson, StoredEvent::fromJson),
      new Registration<>(AppendRequest.class, AppendRequest::toJson, AppendRequest::fromJson),
      new Registration<>(AppendResult.class, AppendResult::toJson, AppendResult::fromJson),
      new Registration<>(ReplayRequest.class, ReplayRequest::toJson, ReplayRequest::fromJson),
      new Registration<>(ReplayResult.class, ReplayResult::toJson, ReplayResult::fromJson),
      new Registration<>(LiveBatch.class, LiveBatch::toJson, LiveBatch::fromJson),
      new Registration<>(VerifyRequest.class, VerifyRequest::toJson, VerifyRequest::fromJson),
      new Registration<>(Principal.class, Principal::toJson, Principal::fromJson),
      new Registration<>(SessionGrant.class, SessionGrant::toJson, SessionGrant::fromJson),
      new Registration<>(RateRequest.class, RateRequest::toJson, RateRequest::fromJson),
      new Registration<>(RateResult.class, RateResult::toJson, RateResult::fromJson),
      new Registration<>(DevTokenRequest.class, DevTokenRequest::toJson, DevTokenRequest::fromJson),
      new Registration<>(DevTokenResult.class, DevTokenResult::toJson, DevTokenResult::fromJson),
      new Registration<>(PresenceUpdate.class, PresenceUpdate::toJson, PresenceUpdate::fromJson),
      new Registration<>(PresenceHeartbeat.class, PresenceHeartbeat::toJson, PresenceHeartbeat::fromJson),
      new Registration<>(PresenceDiff.class, PresenceDiff::toJson, PresenceDiff::fromJson),
      new Registration<>(PresenceQuery.class, PresenceQuery::toJson, PresenceQuery::fromJson),
      new Registration<>(PresenceState.class, PresenceState::toJson, PresenceState::fromJson),
      new Registration<>(Signal.class, Signal::toJson, Signal::fromJson),
      new Registration<>(DeliveredUpdate.class, DeliveredUpdate::toJson, DeliveredUpdate::fromJson),
      new Registration<>(ReadRequest.class, ReadRequest::toJson, ReadRequest::fromJson),
      new Registration<>(SessionPositions.class, SessionPositions::toJson, SessionPositions::fromJson),
      new Registration<>(PositionsQuery.class, PositionsQuery::toJson, PositionsQuery::fromJson),
      new Registration<>(PositionsList.class, PositionsList::toJson, PositionsList::fromJson),
      new Registration<>(ReadChange.class, ReadChange::toJson, ReadChange::fromJson),
      new Registration<>(RevokeRequest.class, RevokeRequest::toJson, RevokeRequest::fromJson),
      new Registration<>(ControlOrder.class, ControlOrder::toJson, ControlOrder::fromJson));

  private Codecs() {
  }

  /** Registers every codec on this Vert.x instance; safe to call from every verticle. */
  public static synchronized void register(Vertx vertx) {
    EventBus bus = vertx.eventBus();
    for (Registration<?> registration : ALL) {
      registration.registerOn(bus);
    }
  }

  /** One record type and its codec. */
  public record Registration<T>(Class<T> type, WireCodec<T> codec) {

    Registration(Class<T> type, java.util.function.Function<T, io.vertx.core.json.JsonObject> toJson,
                 java.util.function.Function<io.vertx.core.json.JsonObject, T> fromJson) {
      this(type, new WireCodec<>(type, toJson, fromJson));
    }

    void registerOn(EventBus bus) {
      try {
        bus.registerDefaultCodec(type, codec);
      } catch (IllegalStateException alreadyRegistered) {
        // Another verticle of this Vert.x instance registered it first: the codec is the same.
      }
    }
  }
}
