package dev.switchboard.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time consumed by the generator itself and, when its pid is known, by the server (Linux /proc). */
final class CpuClock {

  /** Linux reports /proc/PID/stat times in clock ticks of 1/100 s on every common configuration. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private final long serverPid;

  CpuClock(long serverPid) {
    this.serverPid = serverPid;
  }

  long generatorNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** User plus system time of the server process, or -1 when unknown. */
  long serverNanos() {
    if (serverPid <= 0) {
      return -1;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(serverPid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
