package io.asyncagent.http.internal;

import java.util.Locale;
import java.util.Set;

/**
 * Which event headers may become request headers. The HTTP client sets the message framing itself, so an
 * event header must not: {@code Host}, {@code Content-Length}, {@code Transfer-Encoding} and the
 * connection-scoped headers are left out, as are names that are not HTTP tokens and values that are not
 * printable ASCII (RFC 9110 §5.5: a receiver reads the bytes as ASCII, and a line break would split the
 * message).
 */
public final class HeaderRules {
  private static final Set<String> FRAMING = Set.of("host", "content-length", "transfer-encoding", "connection",
      "keep-alive", "proxy-connection", "te", "trailer", "upgrade", "expect");

  private HeaderRules() {}

  /** Returns why the header may not be sent, or null when it may. */
  static String refusal(String name, String value) {
    if (name.isEmpty() || !name.chars().allMatch(HeaderRules::isTokenChar)) {
      return "its name is not an HTTP token";
    }
    if (FRAMING.contains(name.toLowerCase(Locale.ROOT))) {
      return "the HTTP client sets it";
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c > 0x7e) {
        return "its value is not printable ASCII";
      }
    }
    return null;
  }

  /** Returns whether {@code c} may appear in an HTTP token (a method or a header name; RFC 9110 §5.6.2). */
  public static boolean isTokenChar(int c) {
    return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
  }
}
