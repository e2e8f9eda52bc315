package dev.switchboard.realtime.hub;

import dev.switchboard.protocol.ReplayRequest;
import dev.switchboard.protocol.ReplayResult;
import io.vertx.core.Future;

/**
 * Read access to the stored events, as the edge sees it: {@code events.replay} over the bus in production, a fake in
 * hub tests.
 */
public interface EventLog {

  /** A page of events and the session's head; fails with a catalogue error when the store cannot answer. */
  Future<ReplayResult> replay(ReplayRequest request);
}
