package io.threadwire.startup;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import io.threadwire.ThreadId;
import io.threadwire.spi.ConfigKeys;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Reads {@link StartupSettings} from Typesafe Config; every error names the offending key. */
final class StartupConfigReader {

  static final String ROOT = "threadwire.startup";

  private static final Set<String> KNOWN =
      Set.of(
          "deadline",
          "check-timeout",
          "backoff.initial",
          "backoff.max",
          "backoff.multiplier",
          "probe.enabled",
          "probe.thread");

  private StartupConfigReader() {}

  static StartupSettings read(Config config) {
    // Not ConfigFactory.defaultReference(): it lets system properties override reference.conf, and
    // this library reads no system property nor environment variable behind the host's back.
    Config reference =
        ConfigFactory.parseResources(StartupConfigReader.class.getClassLoader(), "reference.conf");
    Config merged = config.withFallback(reference);
    if (!merged.isResolved()) {
      merged = merged.resolve(ConfigResolveOptions.noSystem());
    }
    // Read by full path, so that Typesafe Config's own errors (wrong type, null) name the full key.
    Config c = merged;

    Duration deadline = positive(c, ROOT + ".deadline");
    Duration checkTimeout = positive(c, ROOT + ".check-timeout");
    Duration initial = positive(c, ROOT + ".backoff.initial");
    Duration max = positive(c, ROOT + ".backoff.max");
    if (max.compareTo(initial) < 0) {
      throw bad(
          c,
          ROOT + ".backoff.max",
          "must not be shorter than " + ROOT + ".backoff.initial (" + initial + "), got " + max);
    }
    double multiplier = c.getDouble(ROOT + ".backoff.multiplier");
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw bad(
          c, ROOT + ".backoff.multiplier", "must be a finite number >= 1.0, got " + multiplier);
    }
    boolean probeEnabled = c.getBoolean(ROOT + ".probe.enabled");
    String thread = c.getString(ROOT + ".probe.thread");
    if (!ThreadId.isValid(thread)) {
      throw bad(
          c,
          ROOT + ".probe.thread",
          "must be a thread id of " + ThreadId.RULE + ", got \"" + thread + "\"");
    }
    // Last, so that a known key of the wrong type is reported as such, not as unknown.
    rejectUnknownKeys(c.getConfig(ROOT));
    return new StartupSettings(
        deadline, checkTimeout, initial, max, multiplier, probeEnabled, ThreadId.of(thread));
  }

  private static void rejectUnknownKeys(Config startup) {
    Set<String> present = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : startup.entrySet()) {
      present.add(e.getKey());
    }
    Optional<String> unknown = ConfigKeys.firstUnknown(present, KNOWN);
    if (unknown.isPresent()) {
      String key = unknown.get();
      throw bad(
          startup.getValue(key).origin(),
          ROOT + "." + key,
          ConfigKeys.unknownKeyMessage(ROOT, key, KNOWN));
    }
  }

  private static Duration positive(Config c, String key) {
    Duration d = c.getDuration(key);
    try {
      return ConfigKeys.requirePositive(key, d);
    } catch (IllegalArgumentException e) {
      throw bad(c, key, e.getMessage());
    }
  }

  private static ConfigException bad(Config c, String path, String message) {
    return bad(c.getValue(path).origin(), path, message);
  }

  private static ConfigException bad(ConfigOrigin origin, String path, String message) {
    return new ConfigException.BadValue(origin, path, message);
  }
}
