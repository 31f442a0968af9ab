package io.threadwire.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of a {@link RedisThreadLog}. Immutable; build one with {@link #builder()}, change
 * one with {@link #toBuilder()}. The defaults are in {@link #defaults()} and in the module's {@code
 * reference.conf} under {@code threadwire.redis}.
 */
public final class RedisSettings {

  private static final RedisSettings DEFAULTS = builder().build();

  private final String uri;
  private final String keyPrefix;
  private final Duration commandTimeout;
  private final Duration connectTimeout;
  private final Duration heartbeat;
  private final Duration nodeTtl;
  private final Duration positionCheckInterval;
  private final Duration minKeyTtl;
  private final Duration outcomeDeadline;

  private RedisSettings(Builder b) {
    this.uri = b.uri;
    this.keyPrefix = b.keyPrefix;
    this.commandTimeout = b.commandTimeout;
    this.connectTimeout = b.connectTimeout;
    this.heartbeat = b.heartbeat;
    this.nodeTtl = b.nodeTtl;
    this.positionCheckInterval = b.positionCheckInterval;
    this.minKeyTtl = b.minKeyTtl;
    this.outcomeDeadline = b.outcomeDeadline;
  }

  /**
   * Returns the defaults: {@code redis://127.0.0.1:6379}, prefix {@code threadwire}, 2 s command
   * and connect timeouts, a presence heartbeat every second with a 5 s node TTL, a position check
   * every second, keys kept at least 10 minutes, other nodes' delivery reports awaited 1 s.
   *
   * @return the default settings
   */
  public static RedisSettings defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a builder holding the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding these settings.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.uri = uri;
    b.keyPrefix = keyPrefix;
    b.commandTimeout = commandTimeout;
    b.connectTimeout = connectTimeout;
    b.heartbeat = heartbeat;
    b.nodeTtl = nodeTtl;
    b.positionCheckInterval = positionCheckInterval;
    b.minKeyTtl = minKeyTtl;
    b.outcomeDeadline = outcomeDeadline;
    return b;
  }

  /**
   * Returns the Redis URI, for example {@code redis://127.0.0.1:6379/0}.
   *
   * @return the URI
   */
  public String uri() {
    return uri;
  }

  /**
   * Returns the prefix of every key and channel the log uses.
   *
   * @return the key prefix
   */
  public String keyPrefix() {
    return keyPrefix;
  }

  /**
   * Returns how long one command may take before its stage fails with a timeout.
   *
   * @return the command timeout
   */
  public Duration commandTimeout() {
    return commandTimeout;
  }

  /**
   * Returns how long establishing a connection may take.
   *
   * @return the connect timeout
   */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * Returns how often this node rewrites its presence entries (its connections and users per
   * thread), keeping them alive.
   *
   * @return the presence heartbeat interval
   */
  public Duration heartbeat() {
    return heartbeat;
  }

  /**
   * Returns how long a node's presence entries count after its last heartbeat: a node that stopped
   * (crashed, cut off from Redis) drops out of every count within this time.
   *
   * @return the node TTL
   */
  public Duration nodeTtl() {
    return nodeTtl;
  }

  /**
   * Returns how often each subscribed thread's position is compared with Redis, to catch a lost
   * notification that no later one reveals.
   *
   * @return the position check interval
   */
  public Duration positionCheckInterval() {
    return positionCheckInterval;
  }

  /**
   * Returns the shortest time a thread's keys live after their last write (longer when the thread's
   * history age or idempotency window is longer).
   *
   * @return the minimum key TTL
   */
  public Duration minKeyTtl() {
    return minKeyTtl;
  }

  /**
   * Returns how long after Redis answered an append or publish the sender waits for the delivery
   * reports of the other nodes that received it; a node that has not reported by then counts as not
   * confirmed in the send's outcome.
   *
   * @return the outcome deadline
   */
  public Duration outcomeDeadline() {
    return outcomeDeadline;
  }

  @Override
  public String toString() {
    return "RedisSettings{uri="
        + RedisThreadLog.redacted(uri)
        + ", keyPrefix="
        + keyPrefix
        + ", commandTimeout="
        + commandTimeout
        + ", connectTimeout="
        + connectTimeout
        + ", heartbeat="
        + heartbeat
        + ", nodeTtl="
        + nodeTtl
        + ", positionCheckInterval="
        + positionCheckInterval
        + ", minKeyTtl="
        + minKeyTtl
        + ", outcomeDeadline="
        + outcomeDeadline
        + "}";
  }

  /** Builds {@link RedisSettings}; each setter validates its value and names it when it fails. */
  public static final class Builder {
    private String uri = "redis://127.0.0.1:6379";
    private String keyPrefix = "threadwire";
    private Duration commandTimeout = Duration.ofSeconds(2);
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration heartbeat = Duration.ofSeconds(1);
    private Duration nodeTtl = Duration.ofSeconds(5);
    private Duration positionCheckInterval = Duration.ofSeconds(1);
    private Duration minKeyTtl = Duration.ofMinutes(10);
    private Duration outcomeDeadline = Duration.ofSeconds(1);

    private Builder() {}

    /**
     * Sets the Redis URI ({@code redis://[password@]host:port[/db]}).
     *
     * @param uri the URI, starting with {@code redis://} or {@code rediss://}
     * @return this builder
     * @throws IllegalArgumentException if it does not
     */
    public Builder uri(String uri) {
      Objects.requireNonNull(uri, "uri");
      if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
        throw new IllegalArgumentException(
            "uri must start with redis:// or rediss://, got " + RedisThreadLog.redacted(uri));
      }
      this.uri = uri;
      return this;
    }

    /**
     * Sets the key prefix.
     *
     * @param keyPrefix 1-64 characters of {@code [A-Za-z0-9._:-]}, so keys need no escaping and
     *     never contain a hash tag of their own
     * @return this builder
     * @throws IllegalArgumentException if it breaks that rule
     */
    public Builder keyPrefix(String keyPrefix) {
      Objects.requireNonNull(keyPrefix, "keyPrefix");
      if (keyPrefix.isEmpty()
          || keyPrefix.length() > 64
          || !keyPrefix.chars().allMatch(RedisSettings::prefixChar)) {
        throw new IllegalArgumentException(
            "keyPrefix must be 1-64 characters of [A-Za-z0-9._:-], got \"" + keyPrefix + "\"");
      }
      this.keyPrefix = keyPrefix;
      return this;
    }

    /**
     * Sets the command timeout.
     *
     * @param commandTimeout positive, at most 5 minutes
     * @return this builder
     */
    public Builder commandTimeout(Duration commandTimeout) {
      this.commandTimeout = positive("commandTimeout", commandTimeout);
      return this;
    }

    /**
     * Sets the connect timeout.
     *
     * @param connectTimeout positive, at most 5 minutes
     * @return this builder
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive("connectTimeout", connectTimeout);
      return this;
    }

    /**
     * Sets the presence heartbeat interval.
     *
     * @param heartbeat positive, at most 5 minutes, at most half the node TTL
     * @return this builder
     */
    public Builder heartbeat(Duration heartbeat) {
      this.heartbeat = positive("heartbeat", heartbeat);
      return this;
    }

    /**
     * Sets the node TTL: how long a node's presence entries count after its last heartbeat.
     *
     * @param nodeTtl positive, at most 5 minutes, at least twice the heartbeat
     * @return this builder
     */
    public Builder nodeTtl(Duration nodeTtl) {
      this.nodeTtl = positive("nodeTtl", nodeTtl);
      return this;
    }

    /**
     * Sets the position check interval.
     *
     * @param positionCheckInterval positive, at most 5 minutes
     * @return this builder
     */
    public Builder positionCheckInterval(Duration positionCheckInterval) {
      this.positionCheckInterval = positive("positionCheckInterval", positionCheckInterval);
      return this;
    }

    /**
     * Sets the minimum key TTL.
     *
     * @param minKeyTtl at least one second, at most 365 days
     * @return this builder
     */
    public Builder minKeyTtl(Duration minKeyTtl) {
      Objects.requireNonNull(minKeyTtl, "minKeyTtl");
      if (minKeyTtl.compareTo(Duration.ofSeconds(1)) < 0
          || minKeyTtl.compareTo(Duration.ofDays(365)) > 0) {
        throw new IllegalArgumentException(
            "minKeyTtl must be between 1s and 365 days, got " + minKeyTtl);
      }
      this.minKeyTtl = minKeyTtl;
      return this;
    }

    /**
     * Sets how long the sender waits for other nodes' delivery reports.
     *
     * @param outcomeDeadline positive, at most 5 minutes
     * @return this builder
     */
    public Builder outcomeDeadline(Duration outcomeDeadline) {
      this.outcomeDeadline = positive("outcomeDeadline", outcomeDeadline);
      return this;
    }

    /**
     * Returns the settings.
     *
     * @return new immutable settings
     * @throws IllegalArgumentException if the node TTL is less than twice the heartbeat
     */
    public RedisSettings build() {
      if (nodeTtl.compareTo(heartbeat.multipliedBy(2)) < 0) {
        // One late or lost heartbeat must not make a live node's connections vanish.
        throw new IllegalArgumentException(
            "nodeTtl must be at least twice the heartbeat, got nodeTtl "
                + nodeTtl
                + " and heartbeat "
                + heartbeat);
      }
      return new RedisSettings(this);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException(
            name + " must be positive and at most 5 minutes, got " + d);
      }
      return d;
    }
  }

  private static boolean prefixChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == ':'
        || c == '-';
  }
}
