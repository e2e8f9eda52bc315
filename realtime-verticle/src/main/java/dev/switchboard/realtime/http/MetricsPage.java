package dev.switchboard.realtime.http;

/**
 * What {@code GET /metrics} answers (docs/PROTOCOL.md, REST): the node's meters as its registry writes them, in the
 * format the request's {@code Accept} header asks for. The server module supplies it; an edge given none (metrics
 * served on {@code SB_INTERNAL_PORT} instead) answers 404. Called on a worker thread: a scrape may take a while.
 */
@FunctionalInterface
public interface MetricsPage {

  /** One scrape: its media type (with version and charset) and its text. */
  record Scrape(String contentType, String body) {
  }

  /** Writes every meter; {@code accept} is the request's {@code Accept} header, or null. */
  Scrape scrape(String accept);
}
