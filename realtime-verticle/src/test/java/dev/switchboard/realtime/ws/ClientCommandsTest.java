package dev.switchboard.realtime.ws;

import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.realtime.wire.Refusal;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

class ClientCommandsTest {

  private static ClientCommand command(String text, String urlSession) {
    ClientCommands.Read read = ClientCommands.read(text);
    if (read instanceof ClientCommands.Unreadable unreadable) {
      return unreadable.refusal();
    }
    return ClientCommands.command((ClientCommands.Frame) read, urlSession);
  }

  private static ClientCommand.Invalid refused(String text) {
    return assertInstanceOf(ClientCommand.Invalid.class, command(text, "url"));
  }

  @Test
  void readsEachFrameTypeIntoItsCommand() {
    var publish = assertInstanceOf(ClientCommand.Publish.class,
        command("{\"type\":\"publish\",\"requestId\":\"r1\",\"eventType\":\"vote\"}", "poll:1"));
    assertEquals("poll:1", publish.sessionId(), "the URL's session by default");
    assertEquals("r1", publish.requestId());
    var subscribe = assertInstanceOf(ClientCommand.Subscribe.class,
        command("{\"type\":\"subscribe\",\"requestId\":7,\"sessionId\":\"chat\",\"fromEventId\":\"17\"}", null));
    assertEquals(17L, subscribe.fromEventId());
    assertEquals(7, subscribe.requestId());
    assertNull(subscribe.token());
    assertEquals("jwt", assertInstanceOf(ClientCommand.Subscribe.class,
        command("{\"type\":\"subscribe\",\"sessionId\":\"doc:7\",\"token\":\"jwt\"}", null)).token());
    assertNull(assertInstanceOf(ClientCommand.Subscribe.class,
        command("{\"type\":\"subscribe\",\"sessionId\":\"chat\"}", null)).fromEventId());
    assertEquals("chat", assertInstanceOf(ClientCommand.Unsubscribe.class,
        command("{\"type\":\"unsubscribe\",\"sessionId\":\"chat\"}", "url")).sessionId());
    var ask = assertInstanceOf(ClientCommand.AskPresence.class,
        command("{\"type\":\"presence\",\"cursor\":\"c\",\"limit\":5000}", "room"));
    assertEquals("room", ask.sessionId());
    assertEquals(1000, ask.limit(), "above 1000 counts as 1000");
    assertEquals(100, assertInstanceOf(ClientCommand.AskPresence.class,
        command("{\"type\":\"presence\"}", "room")).limit());
    assertEquals("t", assertInstanceOf(ClientCommand.Authenticate.class,
        command("{\"type\":\"auth\",\"token\":\"t\"}", null)).token());
    assertInstanceOf(ClientCommand.Ping.class, command("{\"type\":\"ping\"}", null));
    assertInstanceOf(ClientCommand.SendSignal.class, command("{\"type\":\"signal\",\"eventType\":\"c\"}", "doc"));
    var read = assertInstanceOf(ClientCommand.MarkRead.class,
        command("{\"type\":\"read\",\"requestId\":\"r\",\"eventId\":\"12\"}", "user:ada"));
    assertEquals("user:ada", read.sessionId(), "the URL's session by default");
    assertEquals("12", read.eventId());
    assertEquals(Refusal.BAD_READ_POSITION.message(), refused("{\"type\":\"read\",\"sessionId\":\"s\"}").message());
  }

  @Test
  void refusesWhatEveryFrameNeedsWithoutEchoingABadRequestId() {
    assertEquals("malformed JSON: each frame must be one JSON object", refused("{\"type\":").message());
    assertEquals(ErrorCode.BAD_REQUEST, refused("[1,2]").code());
    ClientCommand.Invalid objectId = refused("{\"type\":\"ping\",\"requestId\":{\"a\":1}}");
    assertEquals("requestId must be a string or a number", objectId.message());
    assertNull(objectId.requestId());
    ClientCommand.Invalid noType = refused("{\"type\":42,\"requestId\":\"x\"}");
    assertEquals("x", noType.requestId());
  }

  @Test
  void refusesBadFieldsWithTheRequestId() {
    assertEquals(Refusal.BAD_SESSION_ID.message(),
        refused("{\"type\":\"subscribe\",\"sessionId\":\"no spaces\"}").message());
    assertEquals(Refusal.BAD_SESSION_ID.message(), command("{\"type\":\"publish\",\"eventType\":\"t\"}", null) instanceof
        ClientCommand.Invalid invalid ? invalid.message() : "accepted", "no session in the frame or the URL");
    assertEquals(Refusal.BAD_FROM_EVENT_ID.message(),
        refused("{\"type\":\"subscribe\",\"sessionId\":\"s\",\"fromEventId\":\"-1\"}").message());
    assertEquals(Refusal.BAD_SESSION_TOKEN.message(),
        refused("{\"type\":\"subscribe\",\"sessionId\":\"s\",\"token\":7}").message());
    assertEquals(Refusal.BAD_SESSION_TOKEN.message(),
        refused("{\"type\":\"subscribe\",\"sessionId\":\"s\",\"token\":\"\"}").message());
    assertEquals("cursor must be a string and limit 0-1000",
        refused("{\"type\":\"presence\",\"limit\":-1}").message());
    assertEquals(Refusal.AUTH_FRAME_WITHOUT_TOKEN.message(), refused("{\"type\":\"auth\",\"requestId\":\"a\"}").message());
    ClientCommand.Invalid unknown = refused("{\"type\":\"" + "x".repeat(40) + "\",\"requestId\":\"u\"}");
    assertEquals("unknown frame type '" + "x".repeat(32) + "'", unknown.message());
    assertEquals("u", unknown.requestId());
  }
}
