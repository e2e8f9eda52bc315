package dev.switchboard.bench;

/**
 * Socket.IO 4 over Engine.IO v4, WebSocket transport from the first request (no polling upgrade), default namespace.
 *
 * <pre>
 *   GET /socket.io/?EIO=4&amp;transport=websocket
 *   &lt; 0{"sid":"...","pingInterval":25000,...}    Engine.IO open
 *   &gt; 40                                          Socket.IO connect to "/"
 *   &lt; 40{"sid":"..."}
 *   &gt; 421["join","room"]                          event with ack id 1
 *   &lt; 431[]                                      ack: in the room
 *   &lt; 42["event",{"t":...,"s":...}]              a delivery
 *   &lt; 2    &gt; 3                                   Engine.IO ping, answered with pong
 * </pre>
 */
final class SocketIoTarget implements Target {

  private static final byte[] SEQUENCE = "\"s\":".getBytes();

  @Override
  public String name() {
    return "socketio";
  }

  @Override
  public String path(String room, long fromEventId) {
    return "/socket.io/?EIO=4&transport=websocket";
  }

  @Override
  public void attach(WireSocket ws, String room, Listener listener) {
    ws.textHandler((data, from, to) -> {
      int length = to - from;
      byte first = data.getByte(from);
      if (first == '2' && length == 1) {
        ws.sendText("3");
      } else if (first == '0') {
        ws.sendText("40");
      } else if (first == '4' && length >= 2) {
        byte second = data.getByte(from + 1);
        if (second == '2') {
          int s = WireSocket.indexOf(data, from, to, SEQUENCE);
          listener.onEvent(Target.stamp(data, from, to), s < 0 ? -1 : WireSocket.number(data, s + SEQUENCE.length, to),
              length);
        } else if (second == '0') {
          if (room == null) {
            listener.onReady();
          } else {
            ws.sendText("421[\"join\",\"" + room + "\"]");
          }
        } else if (second == '3') {
          listener.onReady();
        }
      }
    });
  }

  @Override
  public String publishFrame(String room, String payload) {
    return "42[\"publish\",\"" + room + "\"," + payload + "]";
  }

  @Override
  public String sequenced() {
    return "payload s";
  }
}
