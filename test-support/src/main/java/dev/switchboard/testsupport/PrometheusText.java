package dev.switchboard.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parse of a scrape in the Prometheus text format 0.0.4 or OpenMetrics 1.0 text, for tests: every sample with its
 * labels and value, and each family's {@code # TYPE}. Strict: a line that is neither a comment nor a well-formed
 * sample fails the parse, so a malformed exposition fails the test that scraped it. No Java parser of the format is
 * published on Maven Central (the Prometheus client only writes it), hence this one; test code only.
 */
public final class PrometheusText {

  /** One sample: {@code name{labels} value}. */
  public record Sample(String name, Map<String, String> labels, double value) {
  }

  private final List<Sample> samples;
  private final Map<String, String> types;

  private PrometheusText(List<Sample> samples, Map<String, String> types) {
    this.samples = samples;
    this.types = types;
  }

  /** Parses a whole scrape; throws {@link IllegalArgumentException} naming the first bad line. */
  public static PrometheusText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    Map<String, String> types = new LinkedHashMap<>();
    int number = 0;
    for (String line : text.split("\n", -1)) {
      number++;
      if (line.isEmpty()) {
        continue;
      }
      try {
        if (line.startsWith("#")) {
          String[] parts = line.split(" ", 4);
          if (parts.length >= 4 && parts[1].equals("TYPE")) {
            types.put(parts[2], parts[3]);
          }
        } else {
          samples.add(sample(line));
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("line " + number + " is not a sample: " + line, e);
      }
    }
    return new PrometheusText(samples, types);
  }

  private static Sample sample(String line) {
    int i = 0;
    while (i < line.length() && isNameChar(line.charAt(i), i == 0)) {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException("no metric name");
    }
    String name = line.substring(0, i);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String label = line.substring(i, eq);
        if (label.isEmpty() || !label.chars().allMatch(c -> isNameChar((char) c, false) && c != ':')) {
          throw new IllegalArgumentException("bad label name '" + label + "'");
        }
        if (line.charAt(eq + 1) != '"') {
          throw new IllegalArgumentException("label value not quoted");
        }
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        for (; line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\') {
            char escaped = line.charAt(++j);
            value.append(escaped == 'n' ? '\n' : escaped);
          } else {
            value.append(c);
          }
        }
        labels.put(label, value.toString());
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      i++;
    }
    if (line.charAt(i) != ' ') {
      throw new IllegalArgumentException("no space before the value");
    }
    String[] rest = line.substring(i + 1).split(" ");
    if (rest.length > 2) {
      throw new IllegalArgumentException("more than a value and a timestamp");
    }
    return new Sample(name, labels, value(rest[0]));
  }

  private static double value(String text) {
    return switch (text) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }

  private static boolean isNameChar(char c, boolean first) {
    return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
  }

  public List<Sample> samples() {
    return samples;
  }

  /** The {@code # TYPE} of a family ({@code counter}, {@code gauge}, {@code histogram}, ...), or null. */
  public String type(String family) {
    return types.get(family);
  }

  /**
   * The value of the one sample named {@code name} whose labels include {@code labels} (name, value, name, value,
   * ...); 0 when there is none, as Prometheus reads a counter that was never incremented. Fails if several match.
   */
  public double value(String name, String... labels) {
    List<Sample> matching = matching(name, labels);
    if (matching.size() > 1) {
      throw new IllegalArgumentException(matching.size() + " samples match " + name + " " + List.of(labels));
    }
    return matching.isEmpty() ? 0 : matching.get(0).value();
  }

  /** The sum over every sample named {@code name} whose labels include {@code labels}. */
  public double sum(String name, String... labels) {
    return matching(name, labels).stream().mapToDouble(Sample::value).sum();
  }

  /** Every sample named {@code name} whose labels include {@code labels}. */
  public List<Sample> matching(String name, String... labels) {
    List<Sample> found = new ArrayList<>();
    for (Sample sample : samples) {
      if (sample.name().equals(name) && includes(sample.labels(), labels)) {
        found.add(sample);
      }
    }
    return found;
  }

  private static boolean includes(Map<String, String> have, String[] want) {
    for (int i = 0; i + 1 < want.length; i += 2) {
      if (!want[i + 1].equals(have.get(want[i]))) {
        return false;
      }
    }
    return true;
  }
}
