package io.threadwire.startup;

/**
 * A minimal JSON writer for readiness reports: enough for objects of strings, numbers and booleans,
 * with correct string escaping. Hand-written so the module needs no JSON library.
 */
final class Json {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final StringBuilder out = new StringBuilder(256);
  private boolean first = true;

  private Json() {}

  static Json object() {
    Json json = new Json();
    json.out.append('{');
    return json;
  }

  Json field(String name, String value) {
    key(name);
    quote(out, value);
    return this;
  }

  Json field(String name, long value) {
    key(name);
    out.append(value);
    return this;
  }

  Json field(String name, boolean value) {
    key(name);
    out.append(value);
    return this;
  }

  /** Adds a field whose value is already valid JSON text. */
  Json rawField(String name, String json) {
    key(name);
    out.append(json);
    return this;
  }

  String end() {
    return out.append('}').toString();
  }

  private void key(String name) {
    if (!first) {
      out.append(',');
    }
    first = false;
    quote(out, name);
    out.append(':');
  }

  /** Appends {@code s} as a JSON string literal (RFC 8259), escaping what must be escaped. */
  static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029' || isLoneSurrogate(s, i)) {
            // Control characters must be escaped; U+2028/9 break JavaScript embedding; a lone
            // surrogate cannot be encoded as UTF-8, so it is kept as an escape instead of a '?'.
            unicodeEscape(out, c);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static boolean isLoneSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }

  private static void unicodeEscape(StringBuilder out, char c) {
    out.append("\\u")
        .append(HEX[(c >> 12) & 0xF])
        .append(HEX[(c >> 8) & 0xF])
        .append(HEX[(c >> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }
}
