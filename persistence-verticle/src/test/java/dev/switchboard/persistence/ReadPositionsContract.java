package dev.switchboard.persistence;

import dev.switchboard.protocol.AppendRequest;
import dev.switchboard.protocol.DeliveredUpdate;
import dev.switchboard.protocol.PositionsList;
import dev.switchboard.protocol.PositionsQuery;
import dev.switchboard.protocol.ReadRequest;
import dev.switchboard.protocol.SessionPositions;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static dev.switchboard.protocol.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The read-position promises every {@link EventStore} keeps ({@link EventStore#advanceDelivered},
 * {@link EventStore#advanceRead}, {@link EventStore#positions}), written once; each implementation's test subclasses
 * it.
 */
@ExtendWith(VertxExtension.class)
public abstract class ReadPositionsContract {

  protected EventStore store;

  /** A fresh, unopened store over empty storage. */
  protected abstract EventStore newStore(Vertx vertx);

  @BeforeEach
  void openStore(Vertx vertx) {
    store = newStore(vertx);
    result(store.open());
  }

  @AfterEach
  void closeStore() {
    result(store.close());
  }

  @Test
  void aUserWithoutPositionsHasZerosAndTheHead() {
    appendTo("inbox", 3);
    assertEquals(List.of(new SessionPositions("inbox", 3, 0, null), new SessionPositions("never", 0, 0, null)),
        positions("ada", List.of("inbox", "never"), false));
    assertEquals(List.of(), positions("ada", List.of(), true));
  }

  @Test
  void deliveredMovesOnlyForwardPerUserAndSession() {
    appendTo("room", 9);
    delivered(new DeliveredUpdate.Position("ada", "room", 5), new DeliveredUpdate.Position("bob", "room", 2));
    delivered(new DeliveredUpdate.Position("ada", "room", 3), new DeliveredUpdate.Position("bob", "room", 7));

    assertEquals(new SessionPositions("room", 9, 5, null), positions("ada", List.of("room"), false).get(0));
    assertEquals(new SessionPositions("room", 9, 7, null), positions("bob", List.of("room"), false).get(0));
  }

  @Test
  void readMovesOnlyForwardAndStopsAtTheHead() {
    appendTo("room", 10);
    assertEquals(new SessionPositions("room", 10, 0, 4L), read("ada", "room", 4));
    assertEquals(new SessionPositions("room", 10, 0, 4L), read("ada", "room", 2));
    assertEquals(new SessionPositions("room", 10, 0, 10L), read("ada", "room", 99));
    assertEquals(6, read("bob", "room", 4).unread());
    delivered(new DeliveredUpdate.Position("ada", "room", 8));
    assertEquals(new SessionPositions("room", 10, 8, 10L), positions("ada", List.of("room"), false).get(0));
  }

  @Test
  void readingZeroSetsAPositionThatWasNeverSet() {
    assertEquals(new SessionPositions("empty", 0, 0, 0L), read("ada", "empty", 0));
  }

  @Test
  void listsEverySessionOfAUserAfterTheNamedOnes() {
    appendTo("b", 2);
    appendTo("user:ada", 1);
    read("ada", "b", 1);
    delivered(new DeliveredUpdate.Position("ada", "a", 0), new DeliveredUpdate.Position("ada", "c", 0),
        new DeliveredUpdate.Position("bob", "d", 0));

    assertEquals(List.of(new SessionPositions("user:ada", 1, 0, null), new SessionPositions("a", 0, 0, null),
            new SessionPositions("b", 2, 0, 1L), new SessionPositions("c", 0, 0, null)),
        positions("ada", List.of("user:ada"), true));
    assertEquals(List.of(new SessionPositions("b", 2, 0, 1L), new SessionPositions("a", 0, 0, null),
            new SessionPositions("c", 0, 0, null)),
        positions("ada", List.of("b"), true), "a named session is listed once, first");
  }

  @Test
  void oneUpdateMayNameThousandsOfPairs() {
    List<DeliveredUpdate.Position> many = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      many.add(new DeliveredUpdate.Position("user-" + i, "crowd", i));
    }
    result(store.advanceDelivered(new DeliveredUpdate(many)));
    assertEquals(1999, positions("user-1999", List.of("crowd"), false).get(0).delivered());
  }

  private void appendTo(String sessionId, int events) {
    List<AppendRequest> batch = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      batch.add(new AppendRequest(sessionId, "note", "{}", "someone", null));
    }
    result(store.append(batch));
  }

  private void delivered(DeliveredUpdate.Position... positions) {
    result(store.advanceDelivered(new DeliveredUpdate(List.of(positions))));
  }

  private SessionPositions read(String userId, String sessionId, long eventId) {
    return result(store.advanceRead(new ReadRequest(userId, sessionId, eventId)));
  }

  private List<SessionPositions> positions(String userId, List<String> sessionIds, boolean all) {
    PositionsList list = result(store.positions(new PositionsQuery(userId, sessionIds, all)));
    return list.sessions();
  }
}
