package dev.switchboard.realtime;

import dev.switchboard.realtime.poll.LongPoll;
import dev.switchboard.realtime.sse.SseStream;
import dev.switchboard.realtime.wire.Refusal;
import dev.switchboard.realtime.ws.WebSocketConnection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every open connection of one edge, by transport, whether the edge is draining, and the one way to end them all
 * (drain and stop alike; docs/PROTOCOL.md, Draining and restarts). Each transport adds itself when it opens and
 * removes itself when it ends. Used on its edge loop.
 */
public final class Connections {

  /**
   * The key under which every log line about one connection carries its id, as an SLF4J key-value pair (a field of
   * its own in JSON lines; docs/ARCHITECTURE.md, Logs).
   */
  public static final String LOG_KEY = "connectionId";

  public final Set<WebSocketConnection> webSockets = new HashSet<>();
  public final Set<SseStream> streams = new HashSet<>();
  public final Set<LongPoll> polls = new HashSet<>();
  private boolean draining;

  /** Set on SIGTERM: new connections and requests are refused with 1012 / 503 while the node drains. */
  public boolean draining() {
    return draining;
  }

  void startDraining() {
    draining = true;
  }

  /** Every open connection, whatever its transport, for an operator's order. */
  public List<OperatorTarget> all() {
    List<OperatorTarget> all = new ArrayList<>(webSockets.size() + streams.size() + polls.size());
    all.addAll(webSockets);
    all.addAll(streams);
    all.addAll(polls);
    return all;
  }

  /**
   * Ends every connection for a restart: WebSockets close with 1012, SSE streams end, waiting long polls are answered
   * with what they have. Returns what was ended, for the log.
   */
  String closeAll() {
    String summary = "closed " + webSockets.size() + " WebSockets (1012), ended " + streams.size()
        + " SSE streams and " + polls.size() + " long polls";
    new ArrayList<>(webSockets).forEach(ws -> ws.close(Refusal.RESTARTING));
    new ArrayList<>(streams).forEach(SseStream::end);
    new ArrayList<>(polls).forEach(LongPoll::answer);
    return summary;
  }
}
