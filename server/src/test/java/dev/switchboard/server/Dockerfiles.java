package dev.switchboard.server;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads a Dockerfile as a list of instructions, for the tests that hold the image to the server. */
final class Dockerfiles {

  private Dockerfiles() {
  }

  /** The Dockerfile's instructions, continuation lines joined, comments dropped. */
  static List<String> instructions(String dockerfile) {
    List<String> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : dockerfile.lines().toList()) {
      String trimmed = line.trim();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
        continue;
      }
      boolean continues = trimmed.endsWith("\\");
      current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
      if (!continues) {
        instructions.add(current.toString().trim().replaceAll("\\s+", " "));
        current.setLength(0);
      }
    }
    return instructions;
  }

  /** The argument of the n-th instruction of that kind. */
  static String argument(List<String> instructions, String keyword, int n) {
    List<String> matching = instructions.stream().filter(i -> i.startsWith(keyword + " ")).toList();
    assertTrue(matching.size() > n, "the Dockerfile has no " + keyword + " #" + n);
    return matching.get(n).substring(keyword.length() + 1);
  }
}
