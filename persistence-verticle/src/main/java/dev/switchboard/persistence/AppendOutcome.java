package dev.switchboard.persistence;

import dev.switchboard.protocol.AppendResult;
import dev.switchboard.protocol.StoredEvent;

/**
 * What one append request came to: the stored event, and whether it was stored earlier under the same idempotency
 * key (then nothing new was stored and {@code event} is the original).
 */
public record AppendOutcome(StoredEvent event, boolean duplicate) {

  /** The answer the requester receives. */
  public AppendResult toResult() {
    return new AppendResult(event.seq(), event.timestamp(), duplicate);
  }
}
