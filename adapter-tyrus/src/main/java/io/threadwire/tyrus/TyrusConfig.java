package io.threadwire.tyrus;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import io.threadwire.HistoryPolicies;
import io.threadwire.HistoryPolicy;
import io.threadwire.hub.HubSettings;
import io.threadwire.spi.ConfigKeys;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads {@link TyrusSettings} from {@code threadwire.tyrus} and {@link HubSettings} from {@code
 * threadwire.hub} of a Typesafe {@link Config}; the module's {@code reference.conf} lists every key
 * with its default. Reading fails fast: a missing, mistyped or out-of-range value, an unknown key
 * (with the nearest known key suggested, see {@link ConfigKeys}) or a host that does not resolve
 * throws a {@link ConfigException} naming the full key, before anything is bound.
 *
 * <p>Typesafe Config is an optional dependency: only hosts that call this class need it.
 */
public final class TyrusConfig {

  /** The path of the transport settings. */
  public static final String TYRUS_PATH = "threadwire.tyrus";

  /** The path of the hub settings. */
  public static final String HUB_PATH = "threadwire.hub";

  /** Record components as validation messages name them, and their configuration keys. */
  private static final String[][] KEYS = {
    {"host", "host"},
    {"port", "port"},
    {"path", "path"},
    {"maxFrameBytes", "max-frame-size"},
    {"maxQueuedFrames", "outbound.max-queued-frames"},
    {"maxQueuedBytes", "outbound.max-queued-bytes"},
    {"writeTimeout", "outbound.write-timeout"},
    {"idleTimeout", "idle-timeout"},
    {"pingInterval", "ping-interval"},
    {"rateLimit.frames", "rate-limit.frames"},
    {"rateLimit.per", "rate-limit.per"},
    {"rateLimit.burst", "rate-limit.burst"},
    {"rateLimit.closeAfter", "rate-limit.close-after"},
    {"closeGrace", "close-grace"},
    {"ioThreads", "io-threads"},
    {"handshakeTimeout", "handshake.timeout"},
    {"maxPendingHandshakes", "handshake.max-pending"},
    {"maxConnections", "max-connections"},
    {"maxConnectionsPerAddress", "max-connections-per-address"},
    {"maxTotalQueuedBytes", "outbound.max-total-queued-bytes"},
    {"maxTotalQueuedHeapPercent", "outbound.max-total-queued-heap-percent"},
    {"sendTimeout", "send-timeout"},
    {"idleThreadTtl", "idle-thread-ttl"},
    {"idempotencyWindow", "idempotency-window"},
    {"idempotencyMaxKeys", "idempotency-max-keys"},
    {"maxThreadsPerConnection", "max-threads-per-connection"},
    {"maxMessageBytes", "max-message-size"},
    {"maintenanceInterval", "maintenance-interval"},
    {"outcomeDeadline", "outcome-deadline"},
  };

  private static final String UNKNOWN = "(unknown key)";

  /** Every key under {@code threadwire.tyrus}. */
  private static final Set<String> TYRUS_KEYS =
      Set.of(
          "host",
          "port",
          "path",
          "allowed-origins",
          "token-header",
          "token-query-parameter",
          "max-frame-size",
          "max-connections",
          "max-connections-per-address",
          "handshake.timeout",
          "handshake.max-pending",
          "outbound.max-queued-frames",
          "outbound.max-queued-bytes",
          "outbound.max-total-queued-bytes",
          "outbound.max-total-queued-heap-percent",
          "outbound.write-timeout",
          "idle-timeout",
          "ping-interval",
          "rate-limit.frames",
          "rate-limit.per",
          "rate-limit.burst",
          "rate-limit.close-after",
          "close-grace",
          "io-threads");

  /** Every key of a history policy: {@code threadwire.hub.history} and each prefix override. */
  private static final Set<String> HISTORY_KEYS =
      Set.of("enabled", "max-messages", "max-bytes", "max-age", "overflow");

  /** HistoryPolicy's components as its messages name them, and their keys. */
  private static final String[][] HISTORY_NAMES = {
    {"maxMessages", "max-messages"}, {"maxBytes", "max-bytes"}, {"maxAge", "max-age"},
  };

  /** Every key under {@code threadwire.hub} but the history prefixes. */
  private static final Set<String> HUB_KEYS = hubKeys();

  private static Set<String> hubKeys() {
    Set<String> keys =
        new LinkedHashSet<>(
            List.of(
                "send-timeout",
                "outcome-deadline",
                "idle-thread-ttl",
                "idempotency-window",
                "idempotency-max-keys",
                "max-threads-per-connection",
                "max-message-size",
                "maintenance-interval"));
    HISTORY_KEYS.forEach(k -> keys.add("history." + k));
    return Set.copyOf(keys);
  }

  private TyrusConfig() {}

  /**
   * {@return the transport settings under {@code threadwire.tyrus} of {@code config}}
   *
   * @param config the configuration to read
   * @throws ConfigException naming the first key that is missing, mistyped or out of range
   */
  public static TyrusSettings tyrusSettings(Config config) {
    Scope c = new Scope(config, TYRUS_PATH);
    // A known key of the wrong type is reported as such by the reads below; an unknown one here.
    rejectUnknown(config, TYRUS_PATH, config.getConfig(TYRUS_PATH).entrySet(), TYRUS_KEYS);
    TyrusSettings.Builder b = TyrusSettings.builder();
    set("host", () -> b.host(c.getString("host")));
    set("port", () -> b.port(c.getInt("port")));
    set("path", () -> b.path(c.getString("path")));
    set("allowed-origins", () -> b.allowedOrigins(c.getStringList("allowed-origins")));
    set("token-header", () -> b.tokenHeader(c.getString("token-header")));
    set("token-query-parameter", () -> b.tokenQueryParameter(c.getString("token-query-parameter")));
    set("max-frame-size", () -> b.maxFrameBytes(intBytes(c, "max-frame-size")));
    set(
        "outbound.max-queued-frames",
        () -> b.maxQueuedFrames(c.getInt("outbound.max-queued-frames")));
    set(
        "outbound.max-queued-bytes",
        () -> b.maxQueuedBytes(c.getBytes("outbound.max-queued-bytes")));
    set("outbound.write-timeout", () -> b.writeTimeout(c.getDuration("outbound.write-timeout")));
    set("idle-timeout", () -> b.idleTimeout(c.getDuration("idle-timeout")));
    set("ping-interval", () -> b.pingInterval(c.getDuration("ping-interval")));
    set(
        "rate-limit",
        () ->
            b.rateLimit(
                new TyrusSettings.RateLimit(
                    c.getInt("rate-limit.frames"),
                    c.getDuration("rate-limit.per"),
                    c.getInt("rate-limit.burst"),
                    c.getInt("rate-limit.close-after"))));
    set("close-grace", () -> b.closeGrace(c.getDuration("close-grace")));
    set("io-threads", () -> b.ioThreads(c.getInt("io-threads")));
    set("handshake.timeout", () -> b.handshakeTimeout(c.getDuration("handshake.timeout")));
    set("handshake.max-pending", () -> b.maxPendingHandshakes(c.getInt("handshake.max-pending")));
    set("max-connections", () -> b.maxConnections(c.getInt("max-connections")));
    set(
        "max-connections-per-address",
        () -> b.maxConnectionsPerAddress(c.getInt("max-connections-per-address")));
    set(
        "outbound.max-total-queued-bytes",
        () -> b.maxTotalQueuedBytes(c.getBytes("outbound.max-total-queued-bytes")));
    set(
        "outbound.max-total-queued-heap-percent",
        () -> b.maxTotalQueuedHeapPercent(c.getInt("outbound.max-total-queued-heap-percent")));
    TyrusSettings settings = build(TYRUS_PATH, b::build);
    requireResolvable(c, settings.host());
    return settings;
  }

  /** Binding would fail later, on the value alone; here the error names the key. */
  private static void requireResolvable(Scope c, String host) {
    try {
      InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new ConfigException.BadValue(
          c.origin("host"),
          c.key("host"),
          "cannot resolve host \""
              + host
              + "\" ("
              + e.getMessage()
              + "); use an address such as"
              + " 127.0.0.1 or a name this machine resolves",
          e);
    }
  }

  private static void rejectUnknown(
      Config root,
      String path,
      Set<java.util.Map.Entry<String, com.typesafe.config.ConfigValue>> entries,
      Set<String> known) {
    Set<String> present = new LinkedHashSet<>();
    for (var e : entries) {
      present.add(e.getKey());
    }
    Optional<String> unknown = ConfigKeys.firstUnknown(present, known);
    if (unknown.isPresent()) {
      String key = unknown.get();
      throw new ConfigException.BadValue(
          root.getValue(path + "." + key).origin(),
          path + "." + key,
          ConfigKeys.unknownKeyMessage(path, key, known));
    }
  }

  /**
   * {@return the hub settings under {@code threadwire.hub} of {@code config}}
   *
   * @param config the configuration to read
   * @throws ConfigException naming the first key that is missing, mistyped or out of range
   */
  public static HubSettings hubSettings(Config config) {
    Scope c = new Scope(config, HUB_PATH);
    Set<java.util.Map.Entry<String, com.typesafe.config.ConfigValue>> entries =
        new java.util.HashSet<>(config.getConfig(HUB_PATH).entrySet());
    entries.removeIf(e -> e.getKey().startsWith("history-prefixes."));
    rejectUnknown(config, HUB_PATH, entries, HUB_KEYS);
    ConfigObject overrides = config.getObject(c.key("history-prefixes"));
    for (String prefix : overrides.keySet()) {
      String path = c.key("history-prefixes") + "." + ConfigUtil.quoteString(prefix);
      rejectUnknown(config, path, config.getConfig(path).entrySet(), HISTORY_KEYS);
    }
    return build(
        HUB_PATH,
        () -> {
          Scope defaults = c.at("history");
          HistoryPolicies policies = HistoryPolicies.uniform(history(defaults));
          ConfigObject prefixes = config.getObject(c.key("history-prefixes"));
          for (String prefix : prefixes.keySet()) {
            String path = c.key("history-prefixes") + "." + ConfigUtil.quoteString(prefix);
            Config merged =
                config.getConfig(path).withFallback(config.getConfig(defaults.path())).atPath(path);
            policies = policies.withPrefix(prefix, history(new Scope(merged, path)));
          }
          return new HubSettings(
              c.getDuration("send-timeout"),
              c.getDuration("idle-thread-ttl"),
              c.getDuration("idempotency-window"),
              c.getInt("idempotency-max-keys"),
              c.getInt("max-threads-per-connection"),
              intBytes(c, "max-message-size"),
              c.getDuration("maintenance-interval"),
              policies,
              c.getDuration("outcome-deadline"));
        });
  }

  private static HistoryPolicy history(Scope h) {
    try {
      String overflow = h.getString("overflow").toUpperCase(Locale.ROOT);
      HistoryPolicy.Overflow o;
      try {
        o = HistoryPolicy.Overflow.valueOf(overflow);
      } catch (IllegalArgumentException e) {
        throw new ConfigException.BadValue(
            h.origin("overflow"),
            h.key("overflow"),
            "must be DROP_OLDEST or REJECT, got " + overflow);
      }
      return new HistoryPolicy(
          h.getBoolean("enabled"),
          h.getInt("max-messages"),
          h.getBytes("max-bytes"),
          h.getDuration("max-age"),
          o);
    } catch (IllegalArgumentException e) {
      String m = e.getMessage() == null ? "" : e.getMessage();
      for (String[] n : HISTORY_NAMES) {
        if (m.startsWith(n[0] + " ")) {
          throw new ConfigException.BadValue(
              h.origin(n[1]), h.key(n[1]), h.key(n[1]) + m.substring(n[0].length()), e);
        }
      }
      throw new ConfigException.BadValue(h.path(), m, e);
    }
  }

  private static int intBytes(Scope c, String key) {
    long bytes = c.getBytes(key);
    if (bytes > Integer.MAX_VALUE) {
      throw new ConfigException.BadValue(
          c.origin(key), c.key(key), "must be at most 2GiB, got " + bytes);
    }
    return (int) bytes;
  }

  private static void set(String key, Runnable setter) {
    try {
      setter.run();
    } catch (IllegalArgumentException e) {
      String named = keyFor(e.getMessage());
      String full = TYRUS_PATH + "." + (named.equals(UNKNOWN) ? key : named);
      throw new ConfigException.BadValue(full, withKey(e.getMessage(), full), e);
    }
  }

  private static <T> T build(String path, Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      String full = path + "." + keyFor(e.getMessage());
      throw new ConfigException.BadValue(full, withKey(e.getMessage(), full), e);
    }
  }

  /** {@code "maxQueuedFrames must be >= 1"} becomes {@code "threadwire.tyrus.outbound... must"}. */
  private static String withKey(String message, String fullKey) {
    String m = message == null ? "" : message;
    String best = "";
    for (String[] k : KEYS) {
      if (m.startsWith(k[0] + " ") && k[0].length() > best.length()) {
        best = k[0];
      }
    }
    return best.isEmpty() ? m : fullKey + m.substring(best.length());
  }

  private static String keyFor(String message) {
    String m = message == null ? "" : message;
    String best = "";
    String key = UNKNOWN;
    for (String[] k : KEYS) {
      if (m.startsWith(k[0] + " ") && k[0].length() > best.length()) {
        best = k[0];
        key = k[1];
      }
    }
    return key;
  }

  /**
   * The keys under {@code path}, read by their full names: Typesafe's own errors (a mistyped or
   * unparsable value) then name the full key, {@code threadwire.tyrus.port} rather than {@code
   * port}, which would be ambiguous when the value came from an environment variable.
   */
  private record Scope(Config root, String path) {

    String key(String relative) {
      return path + "." + relative;
    }

    Scope at(String relative) {
      return new Scope(root, key(relative));
    }

    ConfigOrigin origin(String relative) {
      return root.getValue(key(relative)).origin();
    }

    String getString(String relative) {
      return root.getString(key(relative));
    }

    List<String> getStringList(String relative) {
      return root.getStringList(key(relative));
    }

    int getInt(String relative) {
      return root.getInt(key(relative));
    }

    long getBytes(String relative) {
      return root.getBytes(key(relative));
    }

    boolean getBoolean(String relative) {
      return root.getBoolean(key(relative));
    }

    Duration getDuration(String relative) {
      return root.getDuration(key(relative));
    }
  }
}
