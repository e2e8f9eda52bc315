package dev.switchboard.persistence;

/**
 * Whose an idempotency key is (docs/PROTOCOL.md, Guarantees: idempotent publish): a key belongs to its session and its
 * publishing user, so the same key from another user is another publish. Publishes without a user (the server API
 * key naming none) share one scope of their own. Indexes store the scope as {@code coalesce(user_id, '')}, because
 * SQL unique indexes never match NULL to NULL and a retry without a user must still be stored once.
 */
final class IdempotencyScope {

  private IdempotencyScope() {
  }

  /** The scope of a publish by {@code userId} (null: no user), as the indexes store it. */
  static String of(String userId) {
    return userId == null ? "" : userId;
  }
}
