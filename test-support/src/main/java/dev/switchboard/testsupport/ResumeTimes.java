package dev.switchboard.testsupport;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** How long subscribers took to resume on another node after their connection dropped, over all their resumes. */
public record ResumeTimes(int count, long p50Ms, long p95Ms, long maxMs) {

  public static ResumeTimes of(Collection<FailoverSubscriber> subscribers) {
    List<Long> millis = new ArrayList<>();
    subscribers.forEach(subscriber -> millis.addAll(subscriber.resumeMillis()));
    Collections.sort(millis);
    return new ResumeTimes(millis.size(), percentile(millis, 50), percentile(millis, 95),
        millis.isEmpty() ? 0 : millis.get(millis.size() - 1));
  }

  private static long percentile(List<Long> sorted, int percent) {
    if (sorted.isEmpty()) {
      return 0;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
  }
}
