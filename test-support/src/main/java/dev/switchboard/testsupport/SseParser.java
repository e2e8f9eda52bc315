package dev.switchboard.testsupport;

import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a {@code text/event-stream} as a browser's EventSource does (the HTML standard's "interpreting an event
 * stream"): {@code data:} lines gather into one message, a blank line dispatches it, {@code id:} sets the last event
 * id that this and later messages carry, {@code retry:} sets the reconnection time, {@code event:} names the type,
 * lines starting with {@code :} are comments. Lines may end in LF, CRLF or CR, and chunks may split the stream
 * anywhere, even inside a line ending or a UTF-8 character.
 */
public final class SseParser {

  /** One dispatched message. */
  public record Message(String lastEventId, String event, String data) {
  }

  /** Receives what the stream says, on the thread that feeds the parser. */
  public interface Listener {

    void onMessage(Message message);

    /** A {@code retry:} field: only digits count, as in a browser. */
    default void onRetry(long millis) {
    }
  }

  private final Listener listener;
  /** Bytes of the line under way: decoded only once whole, so a character split across chunks stays whole. */
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String event = "";
  private String lastEventId = "";
  private boolean afterCarriageReturn;
  private boolean firstLine = true;

  public SseParser(Listener listener) {
    this.listener = listener;
  }

  public void feed(Buffer chunk) {
    feed(chunk.getBytes());
  }

  public void feed(String text) {
    feed(text.getBytes(StandardCharsets.UTF_8));
  }

  public void feed(byte[] bytes) {
    for (byte b : bytes) {
      boolean lineFeedOfCrLf = afterCarriageReturn && b == '\n';
      afterCarriageReturn = b == '\r';
      if (lineFeedOfCrLf) {
        continue;
      }
      if (b == '\r' || b == '\n') {
        endLine();
      } else {
        line.write(b);
      }
    }
  }

  private void endLine() {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (firstLine && text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    firstLine = false;
    if (text.isEmpty()) {
      dispatch();
      return;
    }
    if (text.startsWith(":")) {
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(text.startsWith(" ", colon + 1) ? colon + 2 : colon + 1);
    switch (field) {
      case "data" -> {
        data.append(value).append('\n');
        hasData = true;
      }
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          lastEventId = value;
        }
      }
      case "retry" -> {
        if (!value.isEmpty() && value.length() < 19 && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
          listener.onRetry(Long.parseLong(value));
        }
      }
      case "event" -> event = value;
      default -> {
        // unknown fields are ignored
      }
    }
  }

  private void dispatch() {
    if (hasData) {
      data.setLength(data.length() - 1);
      listener.onMessage(new Message(lastEventId, event.isEmpty() ? "message" : event, data.toString()));
    }
    data.setLength(0);
    hasData = false;
    event = "";
  }
}
