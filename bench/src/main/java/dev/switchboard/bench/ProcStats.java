package dev.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux counts for one process, read from /proc (cheap enough to read every second, unlike strace): CPU time
 * in user and system mode, resident memory, and system calls that read or write.
 */
record ProcStats(long userNanos, long systemNanos, long rssBytes, long syscalls) {

  /** Linux reports /proc/PID/stat times in clock ticks of 1/100 s on every common configuration. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  static final ProcStats UNKNOWN = new ProcStats(-1, -1, -1, -1);

  static ProcStats of(long pid) {
    if (pid <= 0) {
      return UNKNOWN;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long user = Long.parseLong(fields[11]) * NANOS_PER_TICK;
      long system = Long.parseLong(fields[12]) * NANOS_PER_TICK;
      long rss = -1;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
      long syscalls = -1;
      try {
        long reads = 0;
        long writes = 0;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "io"))) {
          if (line.startsWith("syscr:")) {
            reads = Long.parseLong(line.substring(6).trim());
          } else if (line.startsWith("syscw:")) {
            writes = Long.parseLong(line.substring(6).trim());
          }
        }
        syscalls = reads + writes;
      } catch (IOException | RuntimeException e) {
        // /proc/PID/io needs the same user (or ptrace rights): leave syscalls unknown
      }
      return new ProcStats(user, system, rss, syscalls);
    } catch (IOException | RuntimeException e) {
      return UNKNOWN;
    }
  }

  /**
   * The time core {@code core} spent busy (anything but idle and waiting for I/O) since boot, by every process; -1
   * when /proc/stat cannot say.
   */
  static long coreBusyNanos(int core) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
        if (line.startsWith("cpu" + core + " ")) {
          String[] ticks = line.trim().split("\\s+");
          long busy = 0;
          for (int i = 1; i < ticks.length && i <= 8; i++) {
            busy += i == 4 || i == 5 ? 0 : Long.parseLong(ticks[i]);
          }
          return busy * NANOS_PER_TICK;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or a /proc/stat of another shape
    }
    return -1;
  }

  static ProcStats self() {
    return of(ProcessHandle.current().pid());
  }

  boolean known() {
    return userNanos >= 0;
  }

  long cpuNanos() {
    return userNanos + systemNanos;
  }

  /** What this process spent between {@code before} and now ({@code this}); unknown when either is. */
  ProcStats minus(ProcStats before) {
    if (!known() || !before.known()) {
      return UNKNOWN;
    }
    return new ProcStats(userNanos - before.userNanos, systemNanos - before.systemNanos, rssBytes,
        syscalls < 0 || before.syscalls < 0 ? -1 : syscalls - before.syscalls);
  }
}
