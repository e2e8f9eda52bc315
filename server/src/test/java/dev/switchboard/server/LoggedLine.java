package dev.switchboard.server;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of the node's console log read back in either format: its level, logger, message and fields. A JSON line
 * must be one object with {@code timestamp}, {@code level}, {@code logger} and {@code message}; a text line must
 * follow logback-text.xml's pattern. The fields of a text line are read for the access log only, whose message is the
 * method and route and whose fields follow as {@code key=value}.
 */
record LoggedLine(String level, String logger, String message, Map<String, String> fields) {

  private static final Pattern TEXT = Pattern.compile(
      "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (TRACE|DEBUG|INFO |WARN |ERROR) \\[[^]]*] (\\S+) - (.*)");
  private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
  private static final String ACCESS_LOG = "AccessLog";

  /** Reads a line; throws an AssertionError naming it when it is not a line of {@code format}. */
  static LoggedLine parse(LogFormat format, String line) {
    return format == LogFormat.JSON ? json(line) : text(line);
  }

  private static LoggedLine json(String line) {
    JsonObject json;
    try {
      json = new JsonObject(line);
    } catch (RuntimeException notJson) {
      throw new AssertionError("not a JSON object: " + line);
    }
    for (String field : new String[] {"timestamp", "level", "logger", "message"}) {
      if (!(json.getValue(field) instanceof String)) {
        throw new AssertionError("no " + field + " in " + line);
      }
    }
    if (!TIMESTAMP.matcher(json.getString("timestamp")).matches()) {
      throw new AssertionError("not a UTC timestamp in milliseconds: " + line);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    json.forEach(entry -> fields.put(entry.getKey(), String.valueOf(entry.getValue())));
    for (String known : new String[] {"timestamp", "level", "logger", "thread", "message"}) {
      fields.remove(known);
    }
    return new LoggedLine(json.getString("level"), json.getString("logger"), json.getString("message"), fields);
  }

  private static LoggedLine text(String line) {
    Matcher matcher = TEXT.matcher(line);
    if (!matcher.matches()) {
      throw new AssertionError("not a line of logback-text.xml's pattern: " + line);
    }
    String logger = matcher.group(2);
    String message = matcher.group(3);
    Map<String, String> fields = new LinkedHashMap<>();
    if (logger.endsWith(ACCESS_LOG)) {
      String[] words = message.split(" ");
      message = words[0] + " " + words[1];
      for (int i = 2; i < words.length; i++) {
        int equals = words[i].indexOf('=');
        fields.put(words[i].substring(0, equals), words[i].substring(equals + 1));
      }
    }
    return new LoggedLine(matcher.group(1).trim(), logger, message, fields);
  }

  boolean isAccess() {
    return logger.endsWith(ACCESS_LOG);
  }

  /** An access-log line of this message ({@code GET /events}) whose fields include all of {@code wanted}. */
  boolean isAccess(String accessMessage, Map<String, String> wanted) {
    return isAccess() && message.equals(accessMessage) && fields.entrySet().containsAll(wanted.entrySet());
  }
}
