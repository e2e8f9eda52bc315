package dev.switchboard.persistence;

import io.vertx.core.Future;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Retention as every {@link EventStore} runs it ({@link EventStore#deleteOlderThan}): one chunk of at most
 * {@link #CHUNK_SIZE} deletions after another, each committed on its own so that appends are never held up for long,
 * until a chunk comes back short or the store closes.
 */
final class RetentionChunks {

  /** The most events one retention chunk deletes. */
  static final int CHUNK_SIZE = 1000;

  private RetentionChunks() {
  }

  /**
   * @param deleteChunk deletes at most {@link #CHUNK_SIZE} old events in one transaction; its future gives how many
   * @param storeOpen   whether the store is still open; a closing store stops after the chunk under way
   * @return how many events the chunks deleted in all
   */
  static Future<Long> deleteAll(Supplier<Future<Integer>> deleteChunk, BooleanSupplier storeOpen) {
    return deleteFrom(0, deleteChunk, storeOpen);
  }

  private static Future<Long> deleteFrom(long deletedSoFar, Supplier<Future<Integer>> deleteChunk,
                                         BooleanSupplier storeOpen) {
    return deleteChunk.get().compose(deleted -> {
      long total = deletedSoFar + deleted;
      if (deleted < CHUNK_SIZE || !storeOpen.getAsBoolean()) {
        return Future.succeededFuture(total);
      }
      return deleteFrom(total, deleteChunk, storeOpen);
    });
  }
}
