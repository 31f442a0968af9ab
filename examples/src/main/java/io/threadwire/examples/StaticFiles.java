package io.threadwire.examples;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Serves the demo page's files from {@code /static} on the classpath, read once. */
final class StaticFiles {

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8");

  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  void serve(HttpExchange exchange, String name) throws IOException {
    byte[] bytes = cache.computeIfAbsent(name, StaticFiles::load);
    String ext = name.substring(name.lastIndexOf('.') + 1);
    Exchanges.send(exchange, 200, TYPES.getOrDefault(ext, "application/octet-stream"), bytes);
  }

  private static byte[] load(String name) {
    try (InputStream in = StaticFiles.class.getResourceAsStream("/static/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource /static/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
