package dev.switchboard.bench.cluster;

import dev.switchboard.testsupport.NodeProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One node of the chaos run: its process, and its heap and RSS sampled since it last started. */
final class ChaosNode {

  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  final int index;
  final NodeProcess process;
  final List<String> samples = Collections.synchronizedList(new ArrayList<>());

  ChaosNode(int index, NodeProcess process) {
    this.index = index;
    this.process = process;
  }

  void start() {
    samples.clear();
    process.start();
  }

  /** Records RSS (/proc) and used heap (jcmd GC.heap_info) now, as "rss 312 MB, heap 85 MB". */
  void sample() {
    if (!process.isAlive()) {
      return;
    }
    try {
      long pid = process.pid();
      long rssKb = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
          .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst()
          .orElse(-1);
      Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "GC.heap_info").redirectErrorStream(true)
          .start();
      String heapInfo = new String(jcmd.getInputStream().readAllBytes());
      jcmd.waitFor(10, TimeUnit.SECONDS);
      Matcher used = HEAP_USED.matcher(heapInfo);
      long heapKb = used.find() ? Long.parseLong(used.group(1)) : -1;
      samples.add("rss " + rssKb / 1024 + " MB, heap " + heapKb / 1024 + " MB");
    } catch (IOException | InterruptedException | RuntimeException e) {
      samples.add("sample failed: " + e);
    }
  }
}
