package io.threadwire.hub;

import io.threadwire.HistoryPolicies;
import io.threadwire.HistoryPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of a {@link ThreadHub}. Every bound the hub enforces is here, with a
 * documented default; adapters read them from configuration at the edge.
 *
 * <p>The settings convention of every Threadwire module: an immutable value with {@code
 * defaults()}, {@code builder()} and {@code toBuilder()}, whose {@code build()} validates every
 * setting and names the first one out of range. The {@code withX} methods are shorthand for {@code
 * toBuilder().x(value).build()}.
 *
 * @param sendTimeout how long a send waits for its writes before it completes with what it achieved
 *     (default 10s)
 * @param idleThreadTtl how long a thread with no connection and no activity is kept, history
 *     included (default 10m). A thread that still remembers an idempotency key younger than {@code
 *     idempotencyWindow} is kept until that key leaves the window, so a TTL shorter than the window
 *     never forgets keys early: an idle thread that was sent keyed messages lives up to the longer
 *     of the two
 * @param idempotencyWindow how long an idempotency key is remembered (default 2m), however short
 *     {@code idleThreadTtl} is
 * @param idempotencyMaxKeys the most idempotency keys remembered per thread; the oldest are
 *     forgotten first (default 1000)
 * @param maxThreadsPerConnection the most threads one connection may join (default 100)
 * @param maxMessageBytes the largest message accepted, by {@link
 *     io.threadwire.Message#sizeEstimate()} (default 1 MiB)
 * @param maintenanceInterval how often idle threads, old history and old keys are expired (default
 *     1s)
 * @param historyPolicies which history policy each thread uses (default {@link
 *     HistoryPolicy#defaults()} for all)
 * @param outcomeDeadline how long after a message is handed to its recipients its outcome waits for
 *     their writes to be confirmed (default 2s): recipients whose write has not completed by then
 *     are counted as unconfirmed ({@link io.threadwire.SendOutcome#unconfirmedCount()}), so one
 *     stalled client delays no outcome longer than this; the transport still applies its
 *     slow-consumer policy (write timeout, queue bounds) to that client. The send timeout, if
 *     shorter, still bounds the whole send
 */
public record HubSettings(
    Duration sendTimeout,
    Duration idleThreadTtl,
    Duration idempotencyWindow,
    int idempotencyMaxKeys,
    int maxThreadsPerConnection,
    int maxMessageBytes,
    Duration maintenanceInterval,
    HistoryPolicies historyPolicies,
    Duration outcomeDeadline) {

  /** The longest duration any setting accepts. */
  public static final Duration MAX_DURATION = Duration.ofDays(365);

  private static final HubSettings DEFAULTS =
      new HubSettings(
          Duration.ofSeconds(10),
          Duration.ofMinutes(10),
          Duration.ofMinutes(2),
          1000,
          100,
          1024 * 1024,
          Duration.ofSeconds(1),
          HistoryPolicies.uniform(HistoryPolicy.defaults()),
          Duration.ofSeconds(2));

  /**
   * Validates every setting.
   *
   * @param historyPolicies which history policy each thread uses (default {@link
   *     HistoryPolicy#defaults()} for all)
   * @param idempotencyMaxKeys the most idempotency keys remembered per thread; the oldest are
   *     forgotten first (default 1000)
   * @param idempotencyWindow how long an idempotency key is remembered (default 2m), however short
   *     {@code idleThreadTtl} is
   * @param idleThreadTtl how long a thread with no connection and no activity is kept, history
   *     included (default 10m). A thread that still remembers an idempotency key younger than
   *     {@code idempotencyWindow} is kept until that key leaves the window, so a TTL shorter than
   *     the window never forgets keys early: an idle thread that was sent keyed messages lives up
   *     to the longer of the two
   * @param maintenanceInterval how often idle threads, old history and old keys are expired
   *     (default 1s)
   * @param maxMessageBytes the largest message accepted, by {@link
   *     io.threadwire.Message#sizeEstimate()} (default 1 MiB)
   * @param maxThreadsPerConnection the most threads one connection may join (default 100)
   * @param sendTimeout how long a send waits for its writes before it completes with what it
   *     achieved (default 10s)
   * @param outcomeDeadline how long after dispatch the outcome waits for writes to be confirmed
   *     (default 2s); later ones are counted unconfirmed
   * @throws IllegalArgumentException naming the first setting out of range
   */
  public HubSettings {
    positive(sendTimeout, "sendTimeout");
    positive(idleThreadTtl, "idleThreadTtl");
    positive(idempotencyWindow, "idempotencyWindow");
    positive(maintenanceInterval, "maintenanceInterval");
    positive(outcomeDeadline, "outcomeDeadline");
    Objects.requireNonNull(historyPolicies, "historyPolicies");
    atLeastOne(idempotencyMaxKeys, "idempotencyMaxKeys");
    atLeastOne(maxThreadsPerConnection, "maxThreadsPerConnection");
    atLeastOne(maxMessageBytes, "maxMessageBytes");
  }

  /** {@return the defaults listed on this record} */
  public static HubSettings defaults() {
    return DEFAULTS;
  }

  /** {@return a builder that starts from the defaults} */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** {@return a builder that starts from these settings} */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * {@return a copy with {@code sendTimeout}}
   *
   * @param value the new value
   */
  public HubSettings withSendTimeout(Duration value) {
    return toBuilder().sendTimeout(value).build();
  }

  /**
   * {@return a copy with {@code idleThreadTtl}}
   *
   * @param value the new value
   */
  public HubSettings withIdleThreadTtl(Duration value) {
    return toBuilder().idleThreadTtl(value).build();
  }

  /**
   * {@return a copy with {@code idempotencyWindow} and {@code idempotencyMaxKeys}}
   *
   * @param window how long an idempotency key is remembered
   * @param maxKeys the most idempotency keys remembered per thread
   */
  public HubSettings withIdempotency(Duration window, int maxKeys) {
    return toBuilder().idempotency(window, maxKeys).build();
  }

  /**
   * {@return a copy with {@code maxThreadsPerConnection}}
   *
   * @param value the new value
   */
  public HubSettings withMaxThreadsPerConnection(int value) {
    return toBuilder().maxThreadsPerConnection(value).build();
  }

  /**
   * {@return a copy with {@code maxMessageBytes}}
   *
   * @param value the new value
   */
  public HubSettings withMaxMessageBytes(int value) {
    return toBuilder().maxMessageBytes(value).build();
  }

  /**
   * {@return a copy with {@code maintenanceInterval}}
   *
   * @param value the new value
   */
  public HubSettings withMaintenanceInterval(Duration value) {
    return toBuilder().maintenanceInterval(value).build();
  }

  /**
   * {@return a copy with {@code historyPolicies}}
   *
   * @param value the new value
   */
  public HubSettings withHistoryPolicies(HistoryPolicies value) {
    return toBuilder().historyPolicies(value).build();
  }

  /**
   * {@return a copy with {@code outcomeDeadline}}
   *
   * @param value the new value
   */
  public HubSettings withOutcomeDeadline(Duration value) {
    return toBuilder().outcomeDeadline(value).build();
  }

  /**
   * {@return a copy in which every thread uses {@code policy}}
   *
   * @param policy the history policy
   */
  public HubSettings withHistoryPolicy(HistoryPolicy policy) {
    return withHistoryPolicies(HistoryPolicies.uniform(policy));
  }

  /**
   * A mutable builder of {@link HubSettings}; {@link #build()} validates. Not thread-safe. Each
   * setter's meaning and default are those of the record component of the same name.
   */
  public static final class Builder {
    private Duration sendTimeout;
    private Duration idleThreadTtl;
    private Duration idempotencyWindow;
    private int idempotencyMaxKeys;
    private int maxThreadsPerConnection;
    private int maxMessageBytes;
    private Duration maintenanceInterval;
    private HistoryPolicies historyPolicies;
    private Duration outcomeDeadline;

    private Builder(HubSettings s) {
      sendTimeout = s.sendTimeout;
      idleThreadTtl = s.idleThreadTtl;
      idempotencyWindow = s.idempotencyWindow;
      idempotencyMaxKeys = s.idempotencyMaxKeys;
      maxThreadsPerConnection = s.maxThreadsPerConnection;
      maxMessageBytes = s.maxMessageBytes;
      maintenanceInterval = s.maintenanceInterval;
      historyPolicies = s.historyPolicies;
      outcomeDeadline = s.outcomeDeadline;
    }

    /**
     * {@return this builder, with {@link HubSettings#sendTimeout()}}
     *
     * @param value the new value
     */
    public Builder sendTimeout(Duration value) {
      sendTimeout = value;
      return this;
    }

    /**
     * {@return this builder, with {@link HubSettings#idleThreadTtl()}}
     *
     * @param value the new value
     */
    public Builder idleThreadTtl(Duration value) {
      idleThreadTtl = value;
      return this;
    }

    /**
     * {@return this builder, with {@link HubSettings#idempotencyWindow()} and {@link
     * HubSettings#idempotencyMaxKeys()}}
     *
     * @param window how long a key is remembered
     * @param maxKeys the most keys remembered per thread
     */
    public Builder idempotency(Duration window, int maxKeys) {
      idempotencyWindow = window;
      idempotencyMaxKeys = maxKeys;
      return this;
    }

    /**
     * {@return this builder, with {@link HubSettings#maxThreadsPerConnection()}}
     *
     * @param value the new value
     */
    public Builder maxThreadsPerConnection(int value) {
      maxThreadsPerConnection = value;
      return this;
    }

    /**
     * {@return this builder, with {@link HubSettings#maxMessageBytes()}}
     *
     * @param value the new value
     */
    public Builder maxMessageBytes(int value) {
      maxMessageBytes = value;
      return this;
    }

    /**
     * {@return this builder, with {@link HubSettings#maintenanceInterval()}}
     *
     * @param value the new value
     */
    public Builder maintenanceInterval(Duration value) {
      maintenanceInterval = value;
      return this;
    }

    /**
     * {@return this builder, with {@link HubSettings#historyPolicies()}}
     *
     * @param value the new value
     */
    public Builder historyPolicies(HistoryPolicies value) {
      historyPolicies = value;
      return this;
    }

    /**
     * {@return this builder, with {@link HubSettings#outcomeDeadline()}}
     *
     * @param value the new value
     */
    public Builder outcomeDeadline(Duration value) {
      outcomeDeadline = value;
      return this;
    }

    /**
     * {@return the settings}
     *
     * @throws IllegalArgumentException naming the first setting out of range
     */
    public HubSettings build() {
      return new HubSettings(
          sendTimeout,
          idleThreadTtl,
          idempotencyWindow,
          idempotencyMaxKeys,
          maxThreadsPerConnection,
          maxMessageBytes,
          maintenanceInterval,
          historyPolicies,
          outcomeDeadline);
    }
  }

  private static void positive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero() || value.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(
          name + " must be positive and at most 365 days, got " + value);
    }
  }

  private static void atLeastOne(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + value);
    }
  }
}
