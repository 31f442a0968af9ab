package io.threadwire.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading requests and writing responses on a JDK {@link HttpExchange}. */
final class Exchanges {

  /** How much of a refused body is read and dropped before the 413 is sent. */
  private static final long DISCARD_LIMIT = 4L * 1024 * 1024;

  private final ObjectMapper json;
  private final int maxBodyBytes;

  Exchanges(ObjectMapper json, int maxBodyBytes) {
    this.json = json;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Reads the whole body; 413 if it is larger than the configured bound. A refused body is read and
   * dropped up to a limit first: closing a connection with unread request bytes makes TCP reset it,
   * and the client would lose the 413.
   */
  byte[] body(HttpExchange exchange) throws IOException {
    long declared = declaredLength(exchange);
    try (InputStream in = exchange.getRequestBody()) {
      if (declared > maxBodyBytes) {
        discard(exchange, in);
        throw tooLarge();
      }
      byte[] body = in.readNBytes(maxBodyBytes + 1);
      if (body.length > maxBodyBytes) {
        discard(exchange, in);
        throw tooLarge();
      }
      return body;
    }
  }

  private static long declaredLength(HttpExchange exchange) {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length == null) {
      return -1;
    }
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("bad_content_length", "Content-Length is not a number");
    }
  }

  private static void discard(HttpExchange exchange, InputStream in) throws IOException {
    long skipped = 0;
    byte[] buffer = new byte[8192];
    int n;
    while (skipped < DISCARD_LIMIT && (n = in.read(buffer)) >= 0) {
      skipped += n;
    }
    if (skipped >= DISCARD_LIMIT) {
      exchange.getResponseHeaders().set("Connection", "close");
    }
  }

  private ApiException tooLarge() {
    return new ApiException(
        413, "body_too_large", "request body is larger than " + maxBodyBytes + " bytes");
  }

  /** Writes {@code body} as JSON with {@code status}. */
  void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
    send(exchange, status, "application/json; charset=utf-8", json.writeValueAsBytes(body));
  }

  /** Writes the JSON error for {@code e}. */
  void sendError(HttpExchange exchange, ApiException e) throws IOException {
    if (e.allow() != null) {
      exchange.getResponseHeaders().set("Allow", e.allow());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", e.code());
    body.put("message", e.getMessage());
    sendJson(exchange, e.status(), body);
  }

  /** Writes {@code bytes} with {@code status} and {@code contentType}. */
  static void send(HttpExchange exchange, int status, String contentType, byte[] bytes)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Returns the decoded query parameters; a repeated name keeps its last value. */
  static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> params = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.put(decode(name), decode(value));
    }
    return params;
  }

  /** Percent-decodes one path segment or query part. */
  static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("bad_encoding", "malformed percent-encoding in " + raw);
    }
  }
}
