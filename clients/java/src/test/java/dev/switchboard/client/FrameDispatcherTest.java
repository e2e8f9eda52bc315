package dev.switchboard.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static dev.switchboard.client.Recorder.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Server frames routed to sessions and the listener, without a network (callbacks run on the test's thread). */
class FrameDispatcherTest {

  private final ClientLoop loop = new ClientLoop();
  private final Subscriptions subscriptions = new Subscriptions();
  private final Recorder recorder = new Recorder();
  private final InMemoryPositionStore store = new InMemoryPositionStore();
  private final List<String> rereads = new ArrayList<>();
  private final FrameDispatcher dispatcher;

  FrameDispatcherTest() {
    ClientOptions options = ClientOptions.builder("http://127.0.0.1:1").token("t").build();
    Publisher publisher = new Publisher(loop, null, null, frame -> false, options, Runnable::run);
    dispatcher = new FrameDispatcher(subscriptions, publisher, new Delivery(recorder, Runnable::run, store, loop),
        rereads::add);
  }

  @AfterEach
  void stop() {
    loop.shutdown();
  }

  private void frame(String json) {
    dispatcher.dispatch(Frames.parse(json));
  }

  private void event(String session, long eventId) {
    frame("{\"type\":\"event\",\"eventId\":\"" + eventId + "\",\"eventType\":\"t\",\"timestamp\":\"x\","
        + "\"sessionId\":\"" + session + "\",\"userId\":\"ada\",\"payload\":{\"n\":" + eventId + "}}");
  }

  @Test
  void dropsEventsAtOrBelowThePositionHeldAndStoresWhatWasHandled() {
    subscriptions.add("s", "1");
    for (long eventId : new long[] {1, 2, 3, 2, 3, 4, 10, 9}) {
      event("s", eventId);
    }
    event("other", 5);
    assertEquals(List.of(2L, 3L, 4L, 10L), recorder.sequence("s"), "nothing twice, nothing older");
    assertEquals(List.of(), recorder.sequence("other"), "not subscribed");
    assertEquals("{\"n\":2}", recorder.events.get(0).payloadJson());
    until(() -> "10".equals(store.load("s")), "the last handled position is stored");
  }

  @Test
  void replayedMovesThePositionForwardOnlyAndResetAnywhere() {
    SessionState session = subscriptions.add("s", null);
    frame("{\"type\":\"replayed\",\"sessionId\":\"s\",\"lastEventId\":\"7\"}");
    assertEquals("7", session.position(), "a live subscription starts after the head");
    frame("{\"type\":\"replayed\",\"sessionId\":\"s\",\"lastEventId\":\"3\"}");
    assertEquals("7", session.position());
    frame("{\"type\":\"reset\",\"sessionId\":\"s\",\"reason\":\"unknown_event\",\"lastEventId\":\"2\"}");
    assertEquals("2", session.position(), "a reset continues after the head, even a lower one");
    event("s", 3);
    assertEquals(List.of(3L), recorder.sequence("s"));
  }

  @Test
  void reportsPresenceAsAListThenOneChangePerUserAndRereadsAfterCountsOnly() {
    subscriptions.add("s", null);
    frame("{\"type\":\"presence.state\",\"sessionId\":\"s\",\"users\":[{\"userId\":\"ada\",\"name\":\"Ada\","
        + "\"actorType\":null}],\"count\":1}");
    frame("{\"type\":\"presence.diff\",\"sessionId\":\"s\",\"joins\":[{\"userId\":\"bob\",\"name\":null,"
        + "\"actorType\":null}],\"leaves\":[{\"userId\":\"ada\",\"name\":\"Ada\",\"actorType\":null}],\"count\":1}");
    assertEquals(List.of("STATE [ada] 1", "LEAVE ada [bob] 1", "JOIN bob [bob] 1"), presence());
    frame("{\"type\":\"presence.diff\",\"sessionId\":\"s\",\"joined\":1500,\"left\":0,\"count\":1501}");
    assertEquals("COUNT [] 1501", presence().get(3));
    assertEquals(List.of(), rereads);
    frame("{\"type\":\"presence.diff\",\"sessionId\":\"s\",\"joins\":[],\"leaves\":[],\"count\":900}");
    assertEquals(List.of("s"), rereads, "the list missed everyone present meanwhile: read it again");
  }

  @Test
  void dropsASessionTheServerRefusesOrEnds() {
    subscriptions.add("a", null);
    subscriptions.add("b", null);
    frame("{\"type\":\"error\",\"requestId\":\"subscribe:a\",\"code\":\"forbidden\",\"message\":\"no\","
        + "\"retryable\":false}");
    frame("{\"type\":\"unsubscribed\",\"sessionId\":\"b\",\"code\":\"forbidden\",\"message\":\"no\"}");
    assertNull(subscriptions.get("a"));
    assertNull(subscriptions.get("b"));
    assertEquals(List.of("a forbidden", "b forbidden"), recorder.errors.stream()
        .map(e -> e.sessionId() + " " + e.code().wire()).collect(Collectors.toList()));
  }

  private List<String> presence() {
    return recorder.presence.stream().map(c -> c.action() + (c.user() == null ? "" : " " + c.user()) + " "
        + c.users() + " " + c.count()).collect(Collectors.toList());
  }
}
