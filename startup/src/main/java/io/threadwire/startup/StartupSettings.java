package io.threadwire.startup;

import io.threadwire.ThreadId;
import io.threadwire.spi.ConfigKeys;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of the startup sequence and its messaging probe. The defaults are those of the
 * module's {@code reference.conf}, under {@code threadwire.startup}.
 *
 * <p>Build them in code ({@link #defaults()} and the {@code with...} copies) or read them from
 * Typesafe Config with {@link #fromConfig}; Typesafe Config is an optional dependency needed only
 * for the latter.
 *
 * @param deadline how long startup may take in total, retries and backoff included ({@code
 *     deadline}, default 30s)
 * @param checkTimeout how long one attempt of a check may take unless the check sets its own
 *     timeout ({@code check-timeout}, default 5s)
 * @param backoffInitial the pause before the first retry of a not-ready check ({@code
 *     backoff.initial}, default 100ms)
 * @param backoffMax the longest pause between retries ({@code backoff.max}, default 2s)
 * @param backoffMultiplier how much each pause grows over the previous one ({@code
 *     backoff.multiplier}, default 2.0)
 * @param probeEnabled whether {@link Startup} adds the {@link MessagingReadinessCheck} ({@code
 *     probe.enabled}, default true)
 * @param probeThread the reserved thread the messaging probe is sent to; no real client should join
 *     it ({@code probe.thread}, default {@code threadwire.probe})
 */
public record StartupSettings(
    Duration deadline,
    Duration checkTimeout,
    Duration backoffInitial,
    Duration backoffMax,
    double backoffMultiplier,
    boolean probeEnabled,
    ThreadId probeThread) {

  private static final StartupSettings DEFAULTS =
      new StartupSettings(
          Duration.ofSeconds(30),
          Duration.ofSeconds(5),
          Duration.ofMillis(100),
          Duration.ofSeconds(2),
          2.0,
          true,
          ThreadId.of("threadwire.probe"));

  /**
   * Validates every setting.
   *
   * @param backoffInitial the pause before the first retry of a not-ready check ({@code
   *     backoff.initial}, default 100ms)
   * @param backoffMax the longest pause between retries ({@code backoff.max}, default 2s)
   * @param backoffMultiplier how much each pause grows over the previous one ({@code
   *     backoff.multiplier}, default 2.0)
   * @param checkTimeout how long one attempt of a check may take unless the check sets its own
   *     timeout ({@code check-timeout}, default 5s)
   * @param deadline how long startup may take in total, retries and backoff included ({@code
   *     deadline}, default 30s)
   * @param probeEnabled whether {@link Startup} adds the {@link MessagingReadinessCheck} ({@code
   *     probe.enabled}, default true)
   * @param probeThread the reserved thread the messaging probe is sent to; no real client should
   *     join it ({@code probe.thread}, default {@code threadwire.probe})
   * @throws IllegalArgumentException naming the first setting out of range
   */
  public StartupSettings {
    positive(deadline, "deadline");
    positive(checkTimeout, "checkTimeout");
    positive(backoffInitial, "backoffInitial");
    positive(backoffMax, "backoffMax");
    if (backoffMax.compareTo(backoffInitial) < 0) {
      throw new IllegalArgumentException(
          "backoffMax ("
              + backoffMax
              + ") must not be shorter than backoffInitial ("
              + backoffInitial
              + ")");
    }
    if (!(backoffMultiplier >= 1.0) || Double.isInfinite(backoffMultiplier)) {
      throw new IllegalArgumentException(
          "backoffMultiplier must be a finite number >= 1.0, got " + backoffMultiplier);
    }
    Objects.requireNonNull(probeThread, "probeThread");
  }

  /** {@return the defaults listed on this record, the same as the module's reference.conf} */
  public static StartupSettings defaults() {
    return DEFAULTS;
  }

  /**
   * Reads the settings under {@code threadwire.startup} of {@code config}; keys it lacks take the
   * defaults of this module's {@code reference.conf}.
   *
   * <p>Only {@code config} and {@code reference.conf} are read, never system properties or
   * environment variables: pass {@code ConfigFactory.load()} to have Typesafe Config's usual
   * overrides. An unresolved {@code config} is resolved without the environment.
   *
   * @param config the configuration to read
   * @return the settings read
   * @throws com.typesafe.config.ConfigException naming the key, if a value has the wrong type, is
   *     out of range, or a key under {@code threadwire.startup} is unknown
   */
  public static StartupSettings fromConfig(com.typesafe.config.Config config) {
    // Kept in another class so that this one loads without Typesafe Config on the class path.
    return StartupConfigReader.read(config);
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
   * {@return a copy with {@code deadline}}
   *
   * @param value how long startup may take in all before it fails
   */
  public StartupSettings withDeadline(Duration value) {
    return toBuilder().deadline(value).build();
  }

  /**
   * {@return a copy with {@code checkTimeout}}
   *
   * @param value how long one run of one readiness check may take
   */
  public StartupSettings withCheckTimeout(Duration value) {
    return toBuilder().checkTimeout(value).build();
  }

  /**
   * {@return a copy with the backoff between retries of a not-ready check}
   *
   * @param initial the first delay
   * @param max the longest delay
   * @param multiplier the factor each retry delay grows by
   */
  public StartupSettings withBackoff(Duration initial, Duration max, double multiplier) {
    return toBuilder().backoff(initial, max, multiplier).build();
  }

  /**
   * {@return a copy with the messaging probe enabled or disabled}
   *
   * @param value true to run the messaging probe at startup
   */
  public StartupSettings withProbeEnabled(boolean value) {
    return toBuilder().probeEnabled(value).build();
  }

  /**
   * {@return a copy with {@code probeThread}}
   *
   * @param value the thread the probe's transient send goes to
   */
  public StartupSettings withProbeThread(ThreadId value) {
    return toBuilder().probeThread(value).build();
  }

  /**
   * A mutable builder of {@link StartupSettings} (the settings convention of every Threadwire
   * module: {@code defaults()}, {@code builder()}, {@code toBuilder()}, and a {@code build()} that
   * validates); the {@code withX} methods are shorthand for {@code toBuilder().x(value).build()}.
   * Not thread-safe. Each setter's meaning and default are those of the record component of the
   * same name.
   */
  public static final class Builder {
    private Duration deadline;
    private Duration checkTimeout;
    private Duration backoffInitial;
    private Duration backoffMax;
    private double backoffMultiplier;
    private boolean probeEnabled;
    private ThreadId probeThread;

    private Builder(StartupSettings s) {
      deadline = s.deadline;
      checkTimeout = s.checkTimeout;
      backoffInitial = s.backoffInitial;
      backoffMax = s.backoffMax;
      backoffMultiplier = s.backoffMultiplier;
      probeEnabled = s.probeEnabled;
      probeThread = s.probeThread;
    }

    /**
     * {@return this builder, with {@link StartupSettings#deadline()}}
     *
     * @param value how long startup may take in all before it fails
     */
    public Builder deadline(Duration value) {
      deadline = value;
      return this;
    }

    /**
     * {@return this builder, with {@link StartupSettings#checkTimeout()}}
     *
     * @param value how long one run of one readiness check may take
     */
    public Builder checkTimeout(Duration value) {
      checkTimeout = value;
      return this;
    }

    /**
     * {@return this builder, with the backoff between retries of a not-ready check}
     *
     * @param initial the first delay
     * @param max the longest delay
     * @param multiplier the factor each retry delay grows by
     */
    public Builder backoff(Duration initial, Duration max, double multiplier) {
      backoffInitial = initial;
      backoffMax = max;
      backoffMultiplier = multiplier;
      return this;
    }

    /**
     * {@return this builder, with the messaging probe enabled or disabled}
     *
     * @param value true to run the messaging probe at startup
     */
    public Builder probeEnabled(boolean value) {
      probeEnabled = value;
      return this;
    }

    /**
     * {@return this builder, with {@link StartupSettings#probeThread()}}
     *
     * @param value the thread the probe's transient send goes to
     */
    public Builder probeThread(ThreadId value) {
      probeThread = value;
      return this;
    }

    /**
     * {@return the settings}
     *
     * @throws IllegalArgumentException naming the first setting out of range
     */
    public StartupSettings build() {
      return new StartupSettings(
          deadline,
          checkTimeout,
          backoffInitial,
          backoffMax,
          backoffMultiplier,
          probeEnabled,
          probeThread);
    }
  }

  private static void positive(Duration d, String name) {
    ConfigKeys.requirePositive(name, d);
  }
}
