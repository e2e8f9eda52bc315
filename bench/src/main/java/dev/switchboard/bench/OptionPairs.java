package dev.switchboard.bench;

import java.util.HashMap;
import java.util.Map;

/** A command line of {@code --name value} pairs, by name without the dashes; a last name without a value is dropped. */
public final class OptionPairs {

  private OptionPairs() {
  }

  public static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    return options;
  }
}
