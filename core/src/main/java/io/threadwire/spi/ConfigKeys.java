package io.threadwire.spi;

import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The one way every Threadwire configuration reader checks its keys and bounds: unknown keys under
 * a path are refused with the nearest known key suggested, and durations and sizes are checked with
 * messages that name the full key. JDK only; the readers that use Typesafe Config live in the
 * adapters and turn these messages into {@code ConfigException}s.
 */
public final class ConfigKeys {

  private ConfigKeys() {}

  /**
   * {@return a message about the first of {@code present} (in sorted order) that is not in {@code
   * known}, naming its full key and the nearest known key; empty if every key is known}
   *
   * @param path the path the keys are under, such as {@code threadwire.tyrus}
   * @param present the keys found under {@code path}, relative to it, such as {@code
   *     outbound.max-queued-frames}
   * @param known every key the reader understands, relative to {@code path}
   */
  public static Optional<String> unknownKey(
      String path, Collection<String> present, Collection<String> known) {
    Objects.requireNonNull(path, "path");
    for (String key : new TreeSet<>(present)) {
      if (!known.contains(key)) {
        return Optional.of(unknownKeyMessage(path, key, known));
      }
    }
    return Optional.empty();
  }

  /**
   * {@return the first of {@code present} (in sorted order) that is not in {@code known}}
   *
   * @param present the keys found
   * @param known the keys understood
   */
  public static Optional<String> firstUnknown(
      Collection<String> present, Collection<String> known) {
    return new TreeSet<>(present).stream().filter(k -> !known.contains(k)).findFirst();
  }

  /**
   * {@return the message for {@code key}, unknown under {@code path}: {@code unknown key
   * threadwire.tyrus.outbound.max-queued-frame (a typo?); did you mean
   * threadwire.tyrus.outbound.max-queued-frames?}, or with the known keys listed when none is near}
   *
   * @param path the path the key is under
   * @param key the unknown key, relative to {@code path}
   * @param known every key understood, relative to {@code path}
   */
  public static String unknownKeyMessage(String path, String key, Collection<String> known) {
    String full = path + "." + key;
    return nearest(key, known)
        .map(n -> "unknown key " + full + " (a typo?); did you mean " + path + "." + n + "?")
        .orElseGet(
            () -> "unknown key " + full + " (a typo?); the known keys are " + new TreeSet<>(known));
  }

  /**
   * {@return the known key nearest to {@code key} by edit distance, if it is near enough to be a
   * likely typo: at most a third of the key's length, and at least 2 edits allowed}
   *
   * @param key the unknown key
   * @param known the keys understood
   */
  public static Optional<String> nearest(String key, Collection<String> known) {
    int allowed = Math.max(2, key.length() / 3);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : new TreeSet<>(known)) {
      int d = distance(key, k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
  }

  /** Levenshtein distance, two rows. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /**
   * {@return {@code value}, checked to be positive}
   *
   * @param name the key or setting name the message names
   * @param value the duration
   * @throws IllegalArgumentException {@code "<name> must be a positive duration such as 500ms or
   *     10s, got <value>"}
   */
  public static Duration requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(
          name + " must be a positive duration such as 500ms or 10s, got " + value);
    }
    return value;
  }

  /**
   * {@return {@code value}, checked to be at least {@code min}}
   *
   * @param name the key or setting name the message names
   * @param value the count or size
   * @param min the smallest value allowed
   * @throws IllegalArgumentException {@code "<name> must be >= <min>, got <value>"}
   */
  public static long requireAtLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
    }
    return value;
  }
}
