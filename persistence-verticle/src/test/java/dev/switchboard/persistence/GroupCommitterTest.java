package dev.switchboard.persistence;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupCommitterTest {

  /** Batches handed to the commit function, completed by the test. */
  private final List<InFlight> commits = new ArrayList<>();

  private GroupCommitter<String, String> committer(int maxBatch) {
    return new GroupCommitter<>(batch -> {
      Promise<List<String>> promise = Promise.promise();
      commits.add(new InFlight(batch, promise));
      return promise.future();
    }, maxBatch);
  }

  @Test
  void commitsALoneSubmissionAtOnce() {
    GroupCommitter<String, String> committer = committer(1000);

    Future<String> a = committer.submit("a");

    assertEquals(List.of(List.of("a")), batches());
    assertFalse(a.isComplete());
    commits.get(0).succeed();
    assertEquals("a!", a.result());
  }

  @Test
  void commitsSubmissionsMadeDuringACommitTogetherAsTheNextBatch() {
    GroupCommitter<String, String> committer = committer(1000);
    committer.submit("a");
    List<Future<String>> queued = List.of(committer.submit("b"), committer.submit("c"), committer.submit("d"));

    assertEquals(List.of(List.of("a")), batches());
    commits.get(0).succeed();

    assertEquals(List.of(List.of("a"), List.of("b", "c", "d")), batches());
    assertTrue(queued.stream().noneMatch(Future::isComplete));
    commits.get(1).succeed();
    assertEquals(List.of("b!", "c!", "d!"), queued.stream().map(Future::result).toList());
    assertEquals(4, committer.submissions());
    assertEquals(2, committer.batches());
  }

  @Test
  void capsABatchAtMaxBatchAndCommitsTheRestNext() {
    GroupCommitter<String, String> committer = committer(2);
    committer.submit("a");
    List.of("b", "c", "d", "e", "f").forEach(committer::submit);

    commits.get(0).succeed();
    assertEquals(List.of(List.of("a"), List.of("b", "c")), batches());
    commits.get(1).succeed();
    commits.get(2).succeed();

    assertEquals(List.of(List.of("a"), List.of("b", "c"), List.of("d", "e"), List.of("f")), batches());
  }

  @Test
  void failsEveryItemOfAFailedBatchAndCarriesOn() {
    GroupCommitter<String, String> committer = committer(1000);
    Future<String> a = committer.submit("a");
    Future<String> b = committer.submit("b");
    RuntimeException disk = new RuntimeException("disk full");

    commits.get(0).promise().fail(disk);

    assertSame(disk, a.cause());
    assertEquals(List.of(List.of("a"), List.of("b")), batches());
    commits.get(1).succeed();
    assertEquals("b!", b.result());
  }

  @Test
  void failsTheBatchWhenTheCommitFunctionThrows() {
    IllegalStateException broken = new IllegalStateException("broken");
    GroupCommitter<String, String> committer = new GroupCommitter<>(batch -> {
      throw broken;
    }, 10);

    assertSame(broken, committer.submit("a").cause());
    assertSame(broken, committer.submit("b").cause());
  }

  @Test
  void failsABatchWhoseResultsDoNotMatchIt() {
    GroupCommitter<String, String> committer = new GroupCommitter<>(batch -> Future.succeededFuture(List.of()), 10);

    assertInstanceOf(IllegalStateException.class, committer.submit("a").cause());
  }

  @Test
  void drainsALongQueueOfSynchronousCommitsWithoutRecursing() {
    List<Promise<List<String>>> first = new ArrayList<>();
    GroupCommitter<String, String> committer = new GroupCommitter<>(batch -> {
      if (first.isEmpty()) {
        Promise<List<String>> promise = Promise.promise();
        first.add(promise);
        return promise.future();
      }
      return Future.succeededFuture(batch);
    }, 1);
    committer.submit("first");
    List<Future<String>> queued = IntStream.range(0, 100_000).mapToObj(i -> committer.submit("x" + i)).toList();

    first.get(0).complete(List.of("first"));

    assertTrue(queued.stream().allMatch(Future::succeeded));
    assertEquals(100_001, committer.batches());
  }

  @Test
  void reportsIdleOnlyWhenNothingIsQueuedOrInFlight() {
    GroupCommitter<String, String> committer = committer(1000);
    assertTrue(committer.whenIdle().succeeded());
    committer.submit("a");
    committer.submit("b");

    Future<Void> idle = committer.whenIdle();
    commits.get(0).succeed();
    assertFalse(idle.isComplete());
    commits.get(1).succeed();

    assertTrue(idle.succeeded());
  }

  @Test
  void refusesAMaxBatchBelowOne() {
    assertThrows(IllegalArgumentException.class, () -> committer(0));
  }

  private List<List<String>> batches() {
    return commits.stream().map(InFlight::batch).toList();
  }

  private record InFlight(List<String> batch, Promise<List<String>> promise) {

    void succeed() {
      promise.complete(batch.stream().map(item -> item + "!").toList());
    }
  }
}
