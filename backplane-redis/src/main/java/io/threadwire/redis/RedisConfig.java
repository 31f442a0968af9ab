package io.threadwire.redis;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.threadwire.spi.ConfigKeys;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads {@link RedisSettings} from {@code threadwire.redis} of a Typesafe {@link Config}; the
 * module's {@code reference.conf} lists every key with its default. Reading fails fast: a missing,
 * mistyped, out-of-range or unknown key throws a {@link ConfigException} naming the full key.
 *
 * <p>Typesafe Config is an optional dependency: only hosts that call this class need it.
 */
public final class RedisConfig {

  /** The path of the settings. */
  public static final String PATH = "threadwire.redis";

  private static final Set<String> KEYS =
      Set.of(
          "uri",
          "key-prefix",
          "command-timeout",
          "connect-timeout",
          "heartbeat",
          "node-ttl",
          "position-check-interval",
          "min-key-ttl",
          "outcome-deadline");

  private RedisConfig() {}

  /**
   * Returns the settings under {@code threadwire.redis} of {@code config}, which should already
   * hold the module's {@code reference.conf} (as {@code ConfigFactory.load()} does).
   *
   * @param config the configuration
   * @return the settings
   * @throws ConfigException naming the first key that is missing, mistyped, out of range or unknown
   */
  public static RedisSettings settings(Config config) {
    Config c = config.getConfig(PATH);
    ConfigKeys.firstUnknown(c.root().keySet(), KEYS)
        .ifPresent(
            key -> {
              throw new ConfigException.BadPath(
                  PATH + "." + key, ConfigKeys.unknownKeyMessage(PATH, key, KEYS));
            });
    RedisSettings.Builder b = RedisSettings.builder();
    set(c, "uri", () -> b.uri(c.getString("uri")));
    set(c, "key-prefix", () -> b.keyPrefix(c.getString("key-prefix")));
    set(c, "command-timeout", () -> b.commandTimeout(c.getDuration("command-timeout")));
    set(c, "connect-timeout", () -> b.connectTimeout(c.getDuration("connect-timeout")));
    set(c, "heartbeat", () -> b.heartbeat(c.getDuration("heartbeat")));
    set(c, "node-ttl", () -> b.nodeTtl(c.getDuration("node-ttl")));
    set(
        c,
        "position-check-interval",
        () -> b.positionCheckInterval(c.getDuration("position-check-interval")));
    set(c, "min-key-ttl", () -> b.minKeyTtl(c.getDuration("min-key-ttl")));
    set(c, "outcome-deadline", () -> b.outcomeDeadline(c.getDuration("outcome-deadline")));
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException.BadValue(c.origin(), PATH + ".node-ttl", e.getMessage(), e);
    }
  }

  private static void set(Config c, String key, Supplier<RedisSettings.Builder> setter) {
    try {
      setter.get();
    } catch (ConfigException.Missing e) {
      throw new ConfigException.Missing(PATH + "." + key, e);
    } catch (ConfigException e) {
      throw new ConfigException.BadValue(PATH + "." + key, e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ConfigException.BadValue(c.origin(), PATH + "." + key, e.getMessage(), e);
    }
  }
}
