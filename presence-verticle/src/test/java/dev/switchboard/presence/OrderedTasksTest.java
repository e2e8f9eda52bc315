package dev.switchboard.presence;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class OrderedTasksTest {

  private final OrderedTasks tasks = new OrderedTasks();
  private final List<String> log = new ArrayList<>();

  @Test
  void startsEachTaskOnlyAfterThePreviousOneCompleted() {
    Promise<String> first = Promise.promise();
    Promise<String> second = Promise.promise();
    Future<String> firstOutcome = tasks.submit(() -> started("first", first));
    Future<String> secondOutcome = tasks.submit(() -> started("second", second));
    tasks.submit(() -> started("third", Promise.<String>promise()));

    assertEquals(List.of("first"), log);
    first.complete("one");
    assertEquals(List.of("first", "second"), log);
    assertEquals("one", firstOutcome.result());
    assertFalse(secondOutcome.isComplete());
    second.complete("two");
    assertEquals(List.of("first", "second", "third"), log);
    assertEquals("two", secondOutcome.result());
  }

  @Test
  void runsTheCallbacksOfATaskBeforeStartingTheNext() {
    Promise<String> first = Promise.promise();
    tasks.submit(() -> started("first", first)).onSuccess(value -> log.add("callback of " + value));
    tasks.submit(() -> started("second", Promise.<String>promise()));

    first.complete("first");

    assertEquals(List.of("first", "callback of first", "second"), log);
  }

  @Test
  void keepsGoingAfterAFailedOrThrowingTask() {
    Future<String> failed = tasks.submit(() -> Future.failedFuture(new IllegalStateException("store down")));
    Future<String> thrown = tasks.submit(() -> {
      throw new IllegalStateException("bug");
    });
    Future<String> next = tasks.submit(() -> Future.succeededFuture("fine"));

    assertEquals("store down", failed.cause().getMessage());
    assertEquals("bug", thrown.cause().getMessage());
    assertEquals("fine", next.result());
  }

  @Test
  void drainsALongQueueOfInstantTasksWithoutDeepeningTheStack() {
    Promise<String> blocker = Promise.promise();
    tasks.submit(() -> blocker.future());
    int[] ran = new int[1];
    for (int i = 0; i < 200_000; i++) {
      tasks.submit(() -> {
        ran[0]++;
        return Future.succeededFuture();
      });
    }

    blocker.complete("go");

    assertEquals(200_000, ran[0]);
  }

  private Future<String> started(String name, Promise<String> promise) {
    log.add(name);
    return promise.future();
  }
}
