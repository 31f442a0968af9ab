package io.threadwire.examples;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.threadwire.spi.ConfigKeys;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The example application's settings, read once from {@code threadwire.examples} in the Typesafe
 * {@link Config} and validated; a bad value fails at startup naming its key.
 *
 * @param transport which transport carries messages to clients
 * @param httpHost the address the HTTP server binds (loopback by default)
 * @param httpPort the HTTP port; 0 picks a free one
 * @param maxBodyBytes the largest request body accepted; larger ones get 413
 * @param agentStepDelay the pause between two events of a simulated agent run
 * @param readyWait how long {@code GET /health/ready} waits for a fresh check before answering with
 *     the last known state
 * @param eventQueueSize the per-connection outbound bound of the in-memory event stream
 * @param httpMaxThreads the most requests served at once (event streams hold one each); a request
 *     beyond it is answered 503 with {@code Retry-After}
 * @param exitWithParent whether the app stops when the process that started it ends (the Maven JVM
 *     of {@code exec:exec}, which sets it), so that stopping the run command stops the app
 */
record ExampleSettings(
    TransportKind transport,
    String httpHost,
    int httpPort,
    int maxBodyBytes,
    Duration agentStepDelay,
    Duration readyWait,
    int eventQueueSize,
    int httpMaxThreads,
    boolean exitWithParent) {

  /** The path of this application's settings in the configuration. */
  static final String PATH = "threadwire.examples";

  /** Every key under {@link #PATH}; any other is refused as a typo. */
  private static final Set<String> KEYS =
      Set.of(
          "transport",
          "http.host",
          "http.port",
          "http.max-body-size",
          "agent-run.step-delay",
          "health.ready-wait",
          "inmemory.event-queue-size",
          "http.max-threads",
          "exit-with-parent",
          "log");

  /** Which transport carries messages to clients. */
  enum TransportKind {
    /** WebSockets through the Tyrus adapter. */
    TYRUS,
    /** In-process hub; the demo page follows it through a server-sent event stream. */
    INMEMORY
  }

  /** Reads and validates the settings under {@link #PATH}. */
  static ExampleSettings from(Config root) {
    // Keys are read by their full path, so that Typesafe's own errors (a mistyped value from an
    // environment variable) name threadwire.examples.http.port, not an ambiguous http.port.
    Config c = root.getConfig(PATH).atPath(PATH);
    Set<String> present = new TreeSet<>();
    root.getConfig(PATH).entrySet().forEach(e -> present.add(e.getKey()));
    ConfigKeys.firstUnknown(present, KEYS)
        .ifPresent(
            key -> {
              throw new ConfigException.BadValue(
                  root.getValue(fullKey(key)).origin(),
                  fullKey(key),
                  ConfigKeys.unknownKeyMessage(PATH, key, KEYS));
            });
    return new ExampleSettings(
        transport(c),
        nonEmpty(c, "http.host"),
        port(c),
        positiveInt(c, "http.max-body-size", c.getBytes(fullKey("http.max-body-size"))),
        positive(c, "agent-run.step-delay"),
        positive(c, "health.ready-wait"),
        positiveInt(c, "inmemory.event-queue-size", c.getInt(fullKey("inmemory.event-queue-size"))),
        positiveInt(c, "http.max-threads", c.getInt(fullKey("http.max-threads"))),
        c.getBoolean(fullKey("exit-with-parent")));
  }

  private static String fullKey(String relative) {
    return PATH + "." + relative;
  }

  private static TransportKind transport(Config c) {
    String value = c.getString(fullKey("transport"));
    try {
      return TransportKind.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException.BadValue(
          c.origin(), fullKey("transport"), "must be tyrus or inmemory, got \"" + value + "\"");
    }
  }

  private static int port(Config c) {
    int port = c.getInt(fullKey("http.port"));
    if (port < 0 || port > 65535) {
      throw new ConfigException.BadValue(
          c.origin(), fullKey("http.port"), "must be 0-65535 (0 = any free port), got " + port);
    }
    return port;
  }

  private static String nonEmpty(Config c, String key) {
    String value = c.getString(fullKey(key));
    if (value.isBlank()) {
      throw new ConfigException.BadValue(c.origin(), fullKey(key), "must not be empty");
    }
    return value;
  }

  private static int positiveInt(Config c, String key, long value) {
    if (value < 1 || value > Integer.MAX_VALUE) {
      throw new ConfigException.BadValue(
          c.origin(), fullKey(key), "must be between 1 and " + Integer.MAX_VALUE);
    }
    return (int) value;
  }

  private static Duration positive(Config c, String key) {
    try {
      return ConfigKeys.requirePositive(fullKey(key), c.getDuration(fullKey(key)));
    } catch (IllegalArgumentException e) {
      throw new ConfigException.BadValue(c.origin(), fullKey(key), e.getMessage());
    }
  }
}
