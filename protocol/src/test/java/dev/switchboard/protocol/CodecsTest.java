package dev.switchboard.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CodecsTest {

  private static final StoredEvent EVENT =
      new StoredEvent("poll:42", 7, "vote", 1_700_000_000_123L, "u1", "{\"option\":\"b\",\"n\":[1,2]}");

  /** One sample per record type; the test fails when a record is added to Codecs without a sample here. */
  private static final Map<Class<?>, Object> SAMPLES = Map.ofEntries(
      Map.entry(StoredEvent.class, EVENT),
      Map.entry(AppendRequest.class, new AppendRequest("s", "t", "{}", null, "key-1")),
      Map.entry(AppendResult.class, new AppendResult(12, 99, true)),
      Map.entry(ReplayRequest.class, new ReplayRequest("s", 3, Long.MAX_VALUE, 500)),
      Map.entry(ReplayResult.class, new ReplayResult(List.of(EVENT), 9, ResetReason.UNKNOWN_EVENT)),
      Map.entry(LiveBatch.class, new LiveBatch(List.of(EVENT, EVENT))),
      Map.entry(VerifyRequest.class, new VerifyRequest("a.b.c")),
      Map.entry(Principal.class, new Principal("u1", "Ada", "presenter", List.of("poll:*"), List.of(), 5_000,
          "jti-1")),
      Map.entry(RateRequest.class, new RateRequest("u1", 1)),
      Map.entry(RateResult.class, new RateResult(false, 600)),
      Map.entry(DevTokenRequest.class, new DevTokenRequest("u1", List.of("*"), List.of("a"), "Ada", null, 60)),
      Map.entry(DevTokenResult.class, new DevTokenResult("x.y.z")),
      Map.entry(PresenceUpdate.class, new PresenceUpdate(PresenceAction.LEAVE, "s", "node-1", "c1",
          new PresenceUser("u1", "Ada", "participant"))),
      Map.entry(PresenceHeartbeat.class, new PresenceHeartbeat("node-1", List.of(
          new PresenceHeartbeat.Entry("s", "c1", new PresenceUser("u1", "Ada", "participant")),
          new PresenceHeartbeat.Entry("t", "c1", new PresenceUser("u1", null, null))))),
      Map.entry(PresenceDiff.class, PresenceDiff.listing("s", 2, List.of(new PresenceUser("u", null, null)),
          List.of(new PresenceUser("v", "Vi", "display")), Map.of("display", 2))),
      Map.entry(PresenceQuery.class, new PresenceQuery("s", "dQ", 20)),
      Map.entry(PresenceState.class, new PresenceState("s", List.of(new PresenceUser("u", "n", "a")), 3, "dQ",
          Map.of("display", 2, "anonymous", 1))),
      Map.entry(Signal.class, new Signal("s", "u", "cursor", "{\"x\":1}", "c1")),
      Map.entry(DeliveredUpdate.class, new DeliveredUpdate(List.of(new DeliveredUpdate.Position("u", "s", 4),
          new DeliveredUpdate.Position("v", "user:v", Long.MAX_VALUE)))),
      Map.entry(ReadRequest.class, new ReadRequest("u", "s", 12)),
      Map.entry(SessionPositions.class, new SessionPositions("s", 9, 7, null)),
      Map.entry(PositionsQuery.class, new PositionsQuery("u", List.of("user:u"), true)),
      Map.entry(PositionsList.class, new PositionsList(List.of(new SessionPositions("s", 9, 7, 3L),
          new SessionPositions("t", 0, 0, null)))),
      Map.entry(ReadChange.class, new ReadChange("u", null, new SessionPositions("s", 9, 7, 3L))),
      Map.entry(SessionGrant.class, new SessionGrant("u", "doc:7", true, 1_700_000_600_000L, null)),
      Map.entry(RevokeRequest.class, new RevokeRequest("jti-1", 1_700_000_600_000L)),
      Map.entry(ControlOrder.class, ControlOrder.disconnect("u1", false, "account closed")));

  @Test
  void everyRecordRoundTripsThroughTheWireEncoding() {
    assertEquals(SAMPLES.size(), Codecs.ALL.size(), "every codec needs a sample");
    for (Codecs.Registration<?> registration : Codecs.ALL) {
      assertRoundTrip(registration);
    }
  }

  private static <T> void assertRoundTrip(Codecs.Registration<T> registration) {
    T sample = registration.type().cast(SAMPLES.get(registration.type()));
    Buffer wire = Buffer.buffer().appendString("prefix");
    registration.codec().encodeToWire(wire, sample);
    T decoded = registration.codec().decodeFromWire("prefix".length(), wire);
    assertEquals(sample, decoded, registration.type().getSimpleName());
    assertTrue(registration.codec().transform(sample) == sample, "local delivery shares the immutable record");
  }

  @Test
  void presenceActionsRefuseUnknownNames() {
    assertEquals(PresenceAction.JOIN, PresenceAction.fromWire("join"));
    assertEquals(PresenceAction.LEAVE, PresenceAction.fromWire("leave"));
    for (String unknown : new String[] {"heartbeat", "JOIN", "", null}) {
      assertThrows(IllegalArgumentException.class, () -> PresenceAction.fromWire(unknown), String.valueOf(unknown));
    }
  }

  @Test
  void presenceDefaultsToTheFirstPageAndTheWholeListInOnePage() {
    assertEquals(new PresenceQuery("s", null, PresenceQuery.DEFAULT_LIMIT), new PresenceQuery("s"));
    assertEquals(new PresenceQuery("s"), PresenceQuery.fromJson(new JsonObject().put("sessionId", "s")));
    PresenceUser ada = new PresenceUser("ada", null, null);
    assertEquals(new PresenceState("s", List.of(ada), 1, null), new PresenceState("s", List.of(ada)));
  }

  @Test
  void anAnonymousEntryNamesNoOneAndSortsBeforeEveryShownUser() {
    PresenceUser display = PresenceUser.anonymous("display", "node-1", "c1");
    assertTrue(display.isAnonymous() && display.name() == null && "display".equals(display.actorType()));
    assertTrue(display.userId().startsWith("\u0000display\u0000"));
    assertTrue(display.userId().compareTo("\u0001") < 0 && display.userId().compareTo("!") < 0);
    assertTrue(!new PresenceUser("ada", null, "display").isAnonymous());
  }

  @Test
  void aPresenceDiffListsBothJoinsAndLeavesOrCarriesCountsOnly() {
    PresenceDiff countsOnly = PresenceDiff.countsOnly("s", 2500, 40, 3, Map.of("kiosk", 1, "display", 0));
    assertEquals(countsOnly, PresenceDiff.fromJson(countsOnly.toJson()));
    assertEquals(Map.of("kiosk", 1), countsOnly.anonymous(), "types with nobody are left out");
    assertTrue(!countsOnly.listsUsers() && !countsOnly.toJson().containsKey("joins"));
    PresenceUser ada = new PresenceUser("ada", null, null);
    assertThrows(IllegalArgumentException.class, () -> new PresenceDiff("s", 1, 1, 0, List.of(ada), null, null));
    assertThrows(IllegalArgumentException.class, () -> new PresenceDiff("s", 1, 2, 0, List.of(ada), List.of(), null));
  }

  @Test
  void tokensNeverAppearInToString() {
    assertTrue(!new VerifyRequest("secret.jwt").toString().contains("secret"));
    assertTrue(!new DevTokenResult("secret.jwt").toString().contains("secret"));
  }

  @Test
  void shardsAreStableAndInRange() {
    Function<String, Integer> shard = Addresses::shardOf;
    assertEquals(shard.apply("poll:42"), shard.apply("poll:42"));
    for (String id : List.of("a", "b", "poll:1", "x".repeat(128))) {
      int s = shard.apply(id);
      assertTrue(s >= 0 && s < Addresses.LIVE_SHARDS);
    }
  }

  @Test
  void sessionIdSyntax() {
    assertTrue(SessionIds.isValid("poll:42.a_b-c"));
    assertTrue(SessionIds.isValid("x".repeat(128)));
    assertTrue(!SessionIds.isValid(""));
    assertTrue(!SessionIds.isValid("x".repeat(129)));
    assertTrue(!SessionIds.isValid("a b"));
    assertTrue(!SessionIds.isValid("a/b"));
    assertTrue(!SessionIds.isValid(null));
  }

  @Test
  void patternsAllowExactPrefixAndAll() {
    assertTrue(SessionPatterns.allows(List.of("poll:*"), "poll:1"));
    assertTrue(SessionPatterns.allows(List.of("*"), "anything"));
    assertTrue(SessionPatterns.allows(List.of("room-1"), "room-1"));
    assertTrue(!SessionPatterns.allows(List.of("room-1"), "room-12"));
    assertTrue(!SessionPatterns.allows(List.of(), "room-1"));
    assertTrue(!SessionPatterns.allows(null, "room-1"));
  }

  @Test
  void busFailuresMapToTheCatalogue() {
    assertEquals(ErrorCode.RATE_LIMITED, ErrorCode.of(ErrorCode.RATE_LIMITED.exception("slow down")));
    assertEquals("slow down", ErrorCode.messageOf(ErrorCode.RATE_LIMITED.exception("slow down")));
    assertEquals(ErrorCode.UNAVAILABLE, ErrorCode.of(new io.vertx.core.eventbus.ReplyException(
        io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS, "none")));
    assertEquals(ErrorCode.INTERNAL, ErrorCode.of(new IllegalStateException("boom")));
    assertEquals("internal error", ErrorCode.messageOf(new IllegalStateException("secret detail")));
  }
}
