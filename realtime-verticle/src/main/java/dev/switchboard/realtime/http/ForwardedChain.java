package dev.switchboard.realtime.http;

import io.vertx.core.MultiMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The client addresses a request's proxies recorded, nearest the client first: the {@code for} parameters of
 * {@code Forwarded} (RFC 7239) when the request has that header, else {@code X-Forwarded-For}. Ports and the brackets
 * of IPv6 addresses are removed; an entry that is not an address ({@code unknown}, an obfuscated name) is kept as it
 * is, and {@link TrustedProxies} stops there.
 */
final class ForwardedChain {

  private ForwardedChain() {
  }

  static List<String> of(MultiMap headers) {
    List<String> chain = new ArrayList<>();
    List<String> forwarded = headers.getAll("Forwarded");
    if (!forwarded.isEmpty()) {
      for (String header : forwarded) {
        for (String element : header.split(",")) {
          chain.add(forParameter(element));
        }
      }
      return chain;
    }
    for (String header : headers.getAll("X-Forwarded-For")) {
      for (String hop : header.split(",")) {
        chain.add(withoutPort(hop.trim()));
      }
    }
    return chain;
  }

  /** The {@code for} value of one {@code Forwarded} element, or "" when it has none. */
  private static String forParameter(String element) {
    for (String pair : element.split(";")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("for")) {
        String value = pair.substring(eq + 1).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return withoutPort(value);
      }
    }
    return "";
  }

  /** {@code [2001:db8::1]:4711} → {@code 2001:db8::1}, {@code 192.0.2.1:80} → {@code 192.0.2.1}. */
  private static String withoutPort(String hop) {
    if (hop.startsWith("[")) {
      int close = hop.indexOf(']');
      return close < 0 ? hop : hop.substring(1, close);
    }
    int colon = hop.indexOf(':');
    return colon >= 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
  }
}
