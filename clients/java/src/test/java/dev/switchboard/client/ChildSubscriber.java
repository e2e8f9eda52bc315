package dev.switchboard.client;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The app of {@link ProcessDeathTest}, run in a child JVM: it subscribes with a {@link FilePositionStore} and, as its
 * effect of each event, appends the eventId to a file (one write each, which survives the process's death), until it
 * is killed. Arguments: node URL, session, positions file, effects file.
 */
public final class ChildSubscriber {

  private ChildSubscriber() {
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String session = args[1];
    FilePositionStore positions = new FilePositionStore(Paths.get(args[2]));
    Path effects = Paths.get(args[3]);
    FileOutputStream out = new FileOutputStream(effects.toFile(), true);
    SwitchboardClient client = new SwitchboardClient(ClientOptions.builder(url).token(Tokens.hourLong("child"))
        .positionStore(positions).listener(new SwitchboardListener() {
          @Override
          public void onEvent(Event event) {
            try {
              out.write((event.eventId() + "\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        }).build());
    // The first run reads the whole history; every later one resumes from the stored position.
    client.subscribe(session, positions.load(session) == null ? "0" : null).connect();
    Thread.sleep(Long.MAX_VALUE);
  }
}
