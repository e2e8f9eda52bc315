package dev.switchboard.persistence;

/**
 * JSON text as PostgreSQL's {@code jsonb} prints it, made compact.
 */
final class JsonText {

  private JsonText() {
  }

  /**
   * {@code json} without whitespace outside strings: {@code {"a": [1, 2]}} becomes {@code {"a":[1,2]}}. Only
   * whitespace goes, so numbers keep their exact digits (a parse and re-encode would turn {@code 2.50} into a double).
   *
   * @param json valid JSON
   */
  static String compact(String json) {
    StringBuilder out = new StringBuilder(json.length());
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        out.append(c);
        if (c == '\\') {
          out.append(json.charAt(++i));
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
        out.append(c);
      } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        out.append(c);
      }
    }
    return out.toString();
  }
}
