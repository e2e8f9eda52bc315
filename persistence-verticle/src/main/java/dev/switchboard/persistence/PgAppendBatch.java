package dev.switchboard.persistence;

import dev.switchboard.protocol.AppendRequest;
import dev.switchboard.protocol.StoredEvent;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One batch on its way through {@code sb_append}: the requests it sends (the first of each repeated idempotency key
 * only) as array arguments, and the outcomes it builds from the rows that come back.
 */
final class PgAppendBatch {

  private final List<AppendRequest> requests;
  /** For each request, the index of the earlier request with the same session and key, or -1. */
  private final int[] repeats;
  /** The indexes of the requests sent, in the order sent. */
  private final int[] sent;

  PgAppendBatch(List<AppendRequest> requests) {
    this.requests = requests;
    this.repeats = new int[requests.size()];
    Map<List<String>, Integer> firstByKey = new HashMap<>();
    List<Integer> sentIndexes = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      AppendRequest request = requests.get(i);
      Integer first = request.idempotencyKey() == null ? null
          : firstByKey.putIfAbsent(List.of(request.sessionId(), IdempotencyScope.of(request.userId()),
              request.idempotencyKey()), i);
      repeats[i] = first == null ? -1 : first;
      if (first == null) {
        sentIndexes.add(i);
      }
    }
    this.sent = sentIndexes.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The arguments of {@code sb_append}: one array per column, one element per request sent. */
  Tuple arguments() {
    String[] sessions = new String[sent.length];
    String[] types = new String[sent.length];
    String[] payloads = new String[sent.length];
    String[] users = new String[sent.length];
    String[] keys = new String[sent.length];
    for (int j = 0; j < sent.length; j++) {
      AppendRequest request = requests.get(sent[j]);
      sessions[j] = request.sessionId();
      types[j] = request.eventType();
      payloads[j] = request.payload();
      users[j] = request.userId();
      keys[j] = request.idempotencyKey();
    }
    return Tuple.tuple().addArrayOfString(sessions).addArrayOfString(types).addArrayOfString(payloads)
        .addArrayOfString(users).addArrayOfString(keys);
  }

  /** One outcome per request, in the batch's order, from {@code sb_append}'s rows. */
  List<AppendOutcome> outcomes(Iterable<Row> rows) {
    AppendOutcome[] outcomes = new AppendOutcome[requests.size()];
    for (Row row : rows) {
      int index = sent[row.getInteger("o_idx") - 1];
      AppendRequest request = requests.get(index);
      long seq = row.getLong("o_seq");
      long timestamp = row.getLong("o_created_at");
      outcomes[index] = row.getBoolean("o_duplicate")
          ? new AppendOutcome(new StoredEvent(request.sessionId(), seq, row.getString("o_event_type"), timestamp,
              row.getString("o_user_id"), JsonText.compact(row.getString("o_payload"))), true)
          : new AppendOutcome(new StoredEvent(request.sessionId(), seq, request.eventType(), timestamp,
              request.userId(), request.payload()), false);
    }
    for (int index : sent) {
      if (outcomes[index] == null) {
        throw new IllegalStateException("sb_append left request " + index + " of the batch unanswered");
      }
    }
    for (int i = 0; i < outcomes.length; i++) {
      if (repeats[i] >= 0) {
        outcomes[i] = new AppendOutcome(outcomes[repeats[i]].event(), true);
      }
    }
    return List.of(outcomes);
  }

  boolean isEmpty() {
    return requests.isEmpty();
  }
}
