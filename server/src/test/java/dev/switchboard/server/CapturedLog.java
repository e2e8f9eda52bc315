package dev.switchboard.server;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the process logs at INFO and above while a test runs, as logback hands it to its appenders: a list appender on
 * the root logger, from {@link #start} to {@link #close}.
 */
final class CapturedLog implements AutoCloseable {

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private CapturedLog() {
  }

  static CapturedLog start() {
    CapturedLog log = new CapturedLog();
    log.appender.start();
    root().addAppender(log.appender);
    return log;
  }

  /** The entries so far (the appender adds from the event loops, under its own lock). */
  List<ILoggingEvent> entries() {
    synchronized (appender) {
      return new ArrayList<>(appender.list);
    }
  }

  /** The first entry that matches, waiting up to 10 s for it. */
  ILoggingEvent await(Predicate<ILoggingEvent> wanted, String what) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      for (ILoggingEvent entry : entries()) {
        if (wanted.test(entry)) {
          return entry;
        }
      }
      sleep();
    }
    throw new AssertionError("no log entry " + what + " within 10 s; logged:\n" + text());
  }

  /** Everything an entry carries that a log line could show: message, key-value pairs, MDC, stack trace. */
  static String shown(ILoggingEvent entry) {
    return entry.getLevel() + " " + entry.getLoggerName() + " " + entry.getFormattedMessage() + " " + pairs(entry)
        + " " + entry.getMDCPropertyMap()
        + (entry.getThrowableProxy() == null ? "" : " " + ThrowableProxyUtil.asString(entry.getThrowableProxy()));
  }

  /** Every entry as {@link #shown}, one a line. */
  String text() {
    return String.join("\n", entries().stream().map(CapturedLog::shown).toList());
  }

  /** An entry's key-value pairs, in order. */
  static Map<String, Object> pairs(ILoggingEvent entry) {
    Map<String, Object> pairs = new LinkedHashMap<>();
    if (entry.getKeyValuePairs() != null) {
      for (KeyValuePair pair : entry.getKeyValuePairs()) {
        pairs.put(pair.key, pair.value);
      }
    }
    return pairs;
  }

  @Override
  public void close() {
    root().detachAppender(appender);
  }

  private static ch.qos.logback.classic.Logger root() {
    return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
  }

  private static void sleep() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
