package dev.switchboard.realtime.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.io.IOException;

/**
 * Reads a JSON object the way RFC 8259 writes it, and nothing else (docs/PROTOCOL.md, Frames: what is stored is what
 * was sent): no comments, single quotes, unquoted names, {@code NaN} or trailing content; no number outside the range
 * of a double (such as {@code 1e400}, which would be stored as {@code "Infinity"}); no string holding a lone UTF-16
 * surrogate (which would be stored as {@code "?"}). Client frames and request bodies are read through it.
 */
public final class StrictJson {

  /** Jackson's defaults are RFC 8259 (every leniency is a feature that is off); Vert.x's own parser allows comments. */
  private static final JsonFactory STRICT = JsonFactory.builder().build();

  private StrictJson() {
  }

  /** The object {@code text} holds, or null when it is not exactly one strict JSON object. */
  public static JsonObject object(String text) {
    return isStrictObject(text) ? new JsonObject(text) : null;
  }

  /** The object a request body holds, or null. */
  public static JsonObject object(Buffer body) {
    return body == null ? null : object(body.toString());
  }

  private static boolean isStrictObject(String text) {
    try (JsonParser parser = STRICT.createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      int depth = 1;
      while (depth > 0) {
        JsonToken token = parser.nextToken();
        if (token == null) {
          return false;
        }
        switch (token) {
          case START_OBJECT, START_ARRAY -> depth++;
          case END_OBJECT, END_ARRAY -> depth--;
          case FIELD_NAME, VALUE_STRING -> {
            if (hasLoneSurrogate(parser.getText())) {
              return false;
            }
          }
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
            if (Double.isInfinite(parser.getValueAsDouble())) {
              return false;
            }
          }
          default -> {
          }
        }
      }
      return parser.nextToken() == null;
    } catch (IOException notStrict) {
      return false;
    }
  }

  private static boolean hasLoneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }
}
