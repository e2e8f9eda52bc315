package dev.switchboard.realtime.wire;

/**
 * Reads the non-negative whole numbers clients send (eventIds, {@code timeoutMs}, {@code limit}): decimal strings
 * ("42") or, leniently, JSON integers.
 */
public final class WholeNumbers {

  private WholeNumbers() {
  }

  /** The number, or null when absent or not a non-negative integer that fits 18 digits. */
  public static Long parse(Object value) {
    if (value instanceof Number number) {
      long n = number.longValue();
      return (number instanceof Integer || number instanceof Long) && n >= 0 ? n : null;
    }
    if (value instanceof String text && !text.isEmpty() && text.length() <= 18) {
      for (int i = 0; i < text.length(); i++) {
        if (!Character.isDigit(text.charAt(i))) {
          return null;
        }
      }
      return Long.parseLong(text);
    }
    return null;
  }
}
