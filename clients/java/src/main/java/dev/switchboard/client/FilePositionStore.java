package dev.switchboard.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@inheritDoc} Kept in one small text file ({@code sessionId=eventId} per line), rewritten through a temporary file
 * and an atomic rename on every save, so the file always holds a whole, consistent set of positions: a process
 * killed at any moment (no {@code close()}) leaves the last save in place. It does not {@code fsync}: a power loss
 * may take the last saves back, which resumes earlier and repeats events, never skips them.
 *
 * <p>On Android, place it in {@code Context.getFilesDir()}. One file belongs to one client.
 */
public final class FilePositionStore implements PositionStore {

  private final Path file;
  private final Path temporary;
  private final Map<String, String> positions = new LinkedHashMap<>();

  public FilePositionStore(Path file) {
    this.file = file;
    this.temporary = file.resolveSibling(file.getFileName() + ".tmp");
    read();
  }

  @Override
  public synchronized String load(String sessionId) {
    return positions.get(sessionId);
  }

  @Override
  public synchronized void save(String sessionId, String eventId) {
    if (!eventId.equals(positions.put(sessionId, eventId))) {
      write();
    }
  }

  @Override
  public synchronized void remove(String sessionId) {
    if (positions.remove(sessionId) != null) {
      write();
    }
  }

  private void read() {
    if (!Files.exists(file)) {
      return;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int equals = line.lastIndexOf('=');
        if (equals > 0) {
          positions.put(line.substring(0, equals), line.substring(equals + 1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read positions from " + file, e);
    }
  }

  private void write() {
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, String> entry : positions.entrySet()) {
      lines.add(entry.getKey() + "=" + entry.getValue());
    }
    try {
      Files.write(temporary, lines, StandardCharsets.UTF_8);
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write positions to " + file, e);
    }
  }
}
