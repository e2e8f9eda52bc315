package dev.switchboard.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@inheritDoc} Kept in memory only: positions survive reconnects and a new client, not the process. The default. */
public final class InMemoryPositionStore implements PositionStore {

  private final Map<String, String> positions = new ConcurrentHashMap<>();

  @Override
  public String load(String sessionId) {
    return positions.get(sessionId);
  }

  @Override
  public void save(String sessionId, String eventId) {
    positions.put(sessionId, eventId);
  }

  @Override
  public void remove(String sessionId) {
    positions.remove(sessionId);
  }
}
