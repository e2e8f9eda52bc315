package dev.switchboard.server;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.joran.util.ConfigurationWatchListUtil;
import ch.qos.logback.core.util.StatusPrinter2;
import dev.switchboard.protocol.ConfigReader;
import org.slf4j.LoggerFactory;

import java.net.URL;
import java.util.Locale;

/**
 * How the process writes its log ({@code SB_LOG_FORMAT}, docs/ARCHITECTURE.md, Logs): human-readable lines, or one
 * JSON object per line for a log collector. Logback reads its configuration at its first use, before the settings
 * are known, and always starts in text; {@link #install} reads it again with the chosen format, and {@code Main} calls
 * it before the process logs anything.
 */
public enum LogFormat {

  TEXT,
  JSON;

  /** The logback property that logback.xml's {@code <include>} names its appender's file by. */
  static final String LOGBACK_PROPERTY = "switchboard.logFormat";

  /** {@code SB_LOG_FORMAT}: {@code text} (the default) or {@code json}, in any case. */
  public static LogFormat from(ConfigReader config) {
    String value = config.string("SB_LOG_FORMAT", TEXT.value());
    for (LogFormat format : values()) {
      if (format.value().equalsIgnoreCase(value)) {
        return format;
      }
    }
    throw new IllegalArgumentException("SB_LOG_FORMAT must be text or json, got '" + value + "'");
  }

  /** The setting's value for this format: {@code text} or {@code json}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Configures logback again from the file it read at its first use (the jar's logback.xml, or the operator's own
   * {@code -Dlogback.configurationFile}), with this format. Lines logged by other threads while it runs may be lost,
   * so call it before anything else runs.
   */
  public void install() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    // Read before the reset, which forgets it.
    URL configuration = ConfigurationWatchListUtil.getMainWatchURL(context);
    if (configuration == null) {
      return;
    }
    long started = System.currentTimeMillis();
    context.reset();
    context.putProperty(LOGBACK_PROPERTY, value());
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(context);
    try {
      joran.doConfigure(configuration);
    } catch (JoranException e) {
      // Logback recorded what failed in its status, printed below.
    }
    new StatusPrinter2().printInCaseOfErrorsOrWarnings(context, started);
  }
}
