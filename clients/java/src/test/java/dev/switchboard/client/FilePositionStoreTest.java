package dev.switchboard.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class FilePositionStoreTest extends PositionStoreContract {

  @TempDir
  Path dir;

  @Override
  PositionStore store() {
    return new FilePositionStore(dir.resolve("positions"));
  }

  @Test
  void aNewStoreOnTheSameFileReadsWhatTheLastOneSaved() {
    PositionStore first = store();
    first.save("poll:1", "42");
    first.save("user:ada", "7");
    first.remove("user:ada");
    PositionStore second = store();
    assertEquals("42", second.load("poll:1"));
    assertNull(second.load("user:ada"));
  }
}
