package dev.switchboard.bench;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.TreeMap;

/**
 * What an attack saw of the node: its sockets opened and refused, those the server closed (and how many seconds
 * after the attack began), and every answer it got, by kind: {@code http 408}, {@code ws 4008}, {@code eof} (closed
 * without a word), {@code refused: ...}. Thread-safe; the attacker's event loop writes, its main thread reads.
 */
final class AttackLedger {

  private final Map<String, Long> answers = new TreeMap<>();
  private final Histogram closedAfterMs = new Histogram(3);
  private long startNanos;
  private long opened;
  private long connectFailures;
  private long closedByServer;
  private long closedByUs;
  private long open;
  private long peakOpen;

  synchronized void started() {
    startNanos = System.nanoTime();
  }

  /** A socket is connected (for a WebSocket: upgraded). */
  synchronized void opened() {
    opened++;
    peakOpen = Math.max(peakOpen, ++open);
  }

  /** A socket did not get connected (or upgraded): {@code why} is counted as an answer. */
  synchronized void refused(String why) {
    connectFailures++;
    answer(why);
  }

  /** The server said {@code what} on an open socket (an HTTP status, an error frame's code). */
  synchronized void answer(String what) {
    answers.merge(what, 1L, Long::sum);
  }

  /** An opened socket is gone: the server closed it while the attack ran, or the attacker did. */
  synchronized void closed(boolean byServer, String how) {
    open--;
    if (byServer) {
      closedByServer++;
      closedAfterMs.recordValue(Math.max(0, (System.nanoTime() - startNanos) / 1_000_000));
      answer("closed: " + how);
    } else {
      closedByUs++;
    }
  }

  /** How a WebSocket's connection or upgrade failed, as an answer: {@code http 429}, {@code connect failed: ...}. */
  static String refusal(Throwable failure) {
    String message = String.valueOf(failure.getMessage());
    if (message.startsWith("upgrade refused: HTTP/1.1 ") && message.length() >= 29) {
      return "http " + message.substring(26, 29);
    }
    return message.startsWith("closed during") ? "closed during the upgrade"
        : "connect failed: " + failure.getClass().getSimpleName();
  }

  /** A WebSocket's end as an answer: {@code ws 1006} when no close frame came. */
  static String closeCode(int code) {
    return "ws " + (code < 0 ? 1006 : code);
  }

  /** A WebSocket's end as an answer with the server's reason: {@code ws 4008 frame flood}. */
  static String closeOf(WireSocket ws) {
    return ws.closeReason().isEmpty() ? closeCode(ws.closeCode()) : closeCode(ws.closeCode()) + " " + ws.closeReason();
  }

  synchronized long open() {
    return open;
  }

  synchronized JsonObject figures() {
    JsonObject figures = new JsonObject().put("opened", opened).put("connectFailures", connectFailures)
        .put("closedByServer", closedByServer).put("closedByAttacker", closedByUs).put("peakOpen", peakOpen)
        .put("answers", new JsonObject(Map.copyOf(answers)));
    if (closedByServer > 0) {
      figures.put("firstServerCloseSec", Stats.round(closedAfterMs.getMinValue() / 1000.0))
          .put("medianServerCloseSec", Stats.round(closedAfterMs.getValueAtPercentile(50) / 1000.0))
          .put("lastServerCloseSec", Stats.round(closedAfterMs.getMaxValue() / 1000.0));
    }
    return figures;
  }
}
