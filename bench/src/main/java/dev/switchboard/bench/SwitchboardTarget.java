package dev.switchboard.bench;

/**
 * Switchboard's WebSocket protocol (docs/PROTOCOL.md, WebSocket): subscribed once {@code connected} arrives; pings
 * answered below.
 */
final class SwitchboardTarget implements Target {

  private static final byte[] TYPE = "{\"type\":\"".getBytes();
  private static final byte[] EVENT_ID = "\"eventId\":\"".getBytes();
  private static final byte[] REQUEST_ID = "\"requestId\":\"".getBytes();

  private final String token;

  SwitchboardTarget(String token) {
    this.token = token;
  }

  @Override
  public String name() {
    return "switchboard";
  }

  @Override
  public String path(String room, long fromEventId) {
    StringBuilder path = new StringBuilder("/events?access_token=").append(token);
    if (room != null) {
      path.append("&sessionId=").append(room);
    }
    if (fromEventId >= 0) {
      path.append("&fromEventId=").append(fromEventId);
    }
    return path.toString();
  }

  @Override
  public void attach(WireSocket ws, String room, Listener listener) {
    ws.textHandler((data, from, to) -> {
      int type = from + TYPE.length;
      if (to - from < TYPE.length + 3 || data.getByte(from + 1) != '"') {
        return;
      }
      switch (data.getByte(type)) {
        case 'e' -> {
          if (data.getByte(type + 1) == 'v') {
            int id = WireSocket.indexOf(data, type, to, EVENT_ID);
            listener.onEvent(Target.stamp(data, from, to), WireSocket.number(data, id + EVENT_ID.length, to),
                to - from);
          }
        }
        case 'c' -> listener.onReady();
        case 'r' -> {
          if (data.getByte(type + 2) == 'p') {
            listener.onReplayed();
          }
        }
        case 'a' -> {
          int request = WireSocket.indexOf(data, type, to, REQUEST_ID);
          int id = WireSocket.indexOf(data, type, to, EVENT_ID);
          if (request > 0 && id > 0) {
            listener.onAck(WireSocket.number(data, request + REQUEST_ID.length, to),
                WireSocket.number(data, id + EVENT_ID.length, to));
          }
        }
        default -> {
          // presence.state, presence.diff, pong, error: not measured
        }
      }
    });
  }

  @Override
  public String publishFrame(String room, String payload) {
    return "{\"type\":\"publish\",\"sessionId\":\"" + room + "\",\"eventType\":\"tick\",\"payload\":" + payload + "}";
  }

  @Override
  public String sequenced() {
    return "eventId";
  }
}
