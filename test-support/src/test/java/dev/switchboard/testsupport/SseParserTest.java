package dev.switchboard.testsupport;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SseParserTest {

  /** What Switchboard writes: a retry, a message without id, then events with ids. */
  private static final String STREAM = "retry: 1000\n\n"
      + "data: {\"type\":\"connected\"}\n\n"
      + "id: 1\ndata: {\"type\":\"event\",\"eventId\":\"1\"}\n\n"
      + "id: 2\ndata: {\"type\":\"event\",\"eventId\":\"2\"}\n\n"
      + ": heartbeat\n\n"
      + "data: {\"type\":\"replayed\"}\n\n";

  private final List<SseParser.Message> messages = new ArrayList<>();
  private final List<Long> retries = new ArrayList<>();
  private final SseParser parser = new SseParser(new SseParser.Listener() {
    @Override
    public void onMessage(SseParser.Message message) {
      messages.add(message);
    }

    @Override
    public void onRetry(long millis) {
      retries.add(millis);
    }
  });

  @Test
  void aBlankLineDispatchesTheDataWithTheLastIdSoFar() {
    parser.feed(STREAM);
    assertEquals(List.of(
        new SseParser.Message("", "message", "{\"type\":\"connected\"}"),
        new SseParser.Message("1", "message", "{\"type\":\"event\",\"eventId\":\"1\"}"),
        new SseParser.Message("2", "message", "{\"type\":\"event\",\"eventId\":\"2\"}"),
        new SseParser.Message("2", "message", "{\"type\":\"replayed\"}")), messages);
    assertEquals(List.of(1000L), retries);
  }

  @Test
  void nothingIsDispatchedBeforeTheBlankLine() {
    parser.feed("id: 7\ndata: {\"a\":1}\n");
    assertEquals(List.of(), messages);
    parser.feed("\n");
    assertEquals(List.of(new SseParser.Message("7", "message", "{\"a\":1}")), messages);
  }

  @Test
  void chunksMaySplitTheStreamAnywhere() {
    byte[] bytes = (STREAM + "data: caf\u00e9 \u2603\n\n").getBytes(StandardCharsets.UTF_8);
    parser.feed(bytes);
    List<SseParser.Message> whole = List.copyOf(messages);
    for (int split = 1; split < bytes.length; split++) {
      messages.clear();
      SseParser fresh = new SseParser(messages::add);
      fresh.feed(Arrays.copyOfRange(bytes, 0, split));
      fresh.feed(Arrays.copyOfRange(bytes, split, bytes.length));
      assertEquals(whole, messages, "split at byte " + split);
    }
    messages.clear();
    SseParser byteByByte = new SseParser(messages::add);
    for (byte b : bytes) {
      byteByByte.feed(new byte[] {b});
    }
    assertEquals(whole, messages);
    assertEquals("caf\u00e9 \u2603", whole.get(whole.size() - 1).data());
  }

  @Test
  void dataLinesJoinWithLineFeeds() {
    parser.feed("data: one\ndata:two\ndata\n\n");
    assertEquals(List.of(new SseParser.Message("", "message", "one\ntwo\n")), messages);
  }

  @Test
  void everyLineEndingCountsAndCrLfSplitAcrossChunksIsOneEnding() {
    parser.feed("id: 1\r\ndata: a\r\n\r\nid: 2\rdata: b\r\r");
    parser.feed("id: 3\r");
    parser.feed("\ndata: c\r");
    parser.feed("\n\r\n");
    assertEquals(List.of(new SseParser.Message("1", "message", "a"), new SseParser.Message("2", "message", "b"),
        new SseParser.Message("3", "message", "c")), messages);
  }

  @Test
  void blocksWithoutDataDispatchNothingButKeepTheirId() {
    parser.feed("id: 5\n\n: comment\n\nretry: 250\n\ndata: x\n\n");
    assertEquals(List.of(new SseParser.Message("5", "message", "x")), messages);
    assertEquals(List.of(250L), retries);
  }

  @Test
  void aRetryOtherThanDigitsIsIgnored() {
    parser.feed("retry: soon\nretry: 12a\nretry:\n\n");
    assertEquals(List.of(), retries);
  }

  @Test
  void anEventFieldNamesTheTypeOfThatMessageOnly() {
    parser.feed("event: ping\ndata: 1\n\ndata: 2\n\n");
    assertEquals(List.of(new SseParser.Message("", "ping", "1"), new SseParser.Message("", "message", "2")),
        messages);
  }

  @Test
  void anEmptyIdResetsItAndAByteOrderMarkIsSkipped() {
    parser.feed("\uFEFFid: 9\ndata: a\n\nid\ndata: b\n\n");
    assertEquals(List.of(new SseParser.Message("9", "message", "a"), new SseParser.Message("", "message", "b")),
        messages);
  }
}
