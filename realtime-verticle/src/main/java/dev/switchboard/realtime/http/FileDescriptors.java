package dev.switchboard.realtime.http;

import com.sun.management.UnixOperatingSystemMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * How many connections clients may hold: the process's file-descriptor limit, less what it has open when the edge
 * starts (jars, logs, the stores' pools, cluster sockets), less {@code SB_FD_RESERVE} for what it opens later and for
 * {@code /health} and {@code /ready} (docs/PROTOCOL.md, Limits).
 */
public final class FileDescriptors {

  private static final Logger LOG = LoggerFactory.getLogger(FileDescriptors.class);

  private FileDescriptors() {
  }

  /** The cap for clients, or {@link Long#MAX_VALUE} where the JVM cannot tell its limit. */
  public static long clientCap(int reserve) {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (!(os instanceof UnixOperatingSystemMXBean unix) || unix.getMaxFileDescriptorCount() <= 0) {
      LOG.info("the file-descriptor limit is unknown: client connections are limited per address only");
      return Long.MAX_VALUE;
    }
    long max = unix.getMaxFileDescriptorCount();
    long open = unix.getOpenFileDescriptorCount();
    long cap = Math.max(0, max - open - reserve);
    LOG.info("clients may hold {} connections: {} file descriptors, {} open, {} kept in reserve", cap, max, open,
        reserve);
    return cap;
  }
}
