package io.threadwire.startup;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The immutable result of one run of a {@link StartupSequence}: every check in run order with its
 * status, attempts, duration and reason, and the overall status.
 *
 * <p>The overall status is {@link CheckResult.Status#READY} only if every check ended ready (an
 * empty set of checks is ready, and {@link #summary()} says so); {@link CheckResult.Status#FAILED}
 * if any check failed; otherwise {@link CheckResult.Status#NOT_READY}.
 */
public final class ReadinessReport {

  private final CheckResult.Status status;
  private final Instant startedAt;
  private final Duration duration;
  private final List<CheckReport> checks;

  private ReadinessReport(Instant startedAt, Duration duration, List<CheckReport> checks) {
    this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
    this.duration = Objects.requireNonNull(duration, "duration");
    this.checks = List.copyOf(checks);
    this.status = overall(this.checks);
  }

  /**
   * {@return a report of {@code checks}, given in run order}
   *
   * @param startedAt when the run started
   * @param duration how long the whole run took
   * @param checks the readiness checks to run
   */
  public static ReadinessReport of(Instant startedAt, Duration duration, List<CheckReport> checks) {
    return new ReadinessReport(startedAt, duration, checks);
  }

  private static CheckResult.Status overall(List<CheckReport> checks) {
    CheckResult.Status status = CheckResult.Status.READY;
    for (CheckReport c : checks) {
      switch (c.status()) {
        case FAILED -> {
          return CheckResult.Status.FAILED;
        }
        case NOT_READY, SKIPPED -> status = CheckResult.Status.NOT_READY;
        case READY -> {}
      }
    }
    return status;
  }

  /** {@return the overall status: ready only if every check is ready} */
  public CheckResult.Status status() {
    return status;
  }

  /** {@return true if the overall status is {@link CheckResult.Status#READY}} */
  public boolean isReady() {
    return status == CheckResult.Status.READY;
  }

  /** {@return when the run started} */
  public Instant startedAt() {
    return startedAt;
  }

  /** {@return how long the whole run took} */
  public Duration duration() {
    return duration;
  }

  /** {@return every check in run order; empty if none was configured} */
  public List<CheckReport> checks() {
    return checks;
  }

  /**
   * {@return the check, by name, if it is part of this report}
   *
   * @param name the name
   */
  public Optional<CheckReport> check(String name) {
    return checks.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** {@return the first check, in run order, that ended neither ready nor skipped} */
  public Optional<CheckReport> firstFailure() {
    return checks.stream()
        .filter(
            c ->
                c.status() == CheckReport.Status.FAILED
                    || c.status() == CheckReport.Status.NOT_READY)
        .findFirst();
  }

  /**
   * {@return one line for logs, for example {@code READY in 4ms: 1 check ready (messaging:
   * messaging accepted the probe (nobody joins the probe thread; ...))}}
   */
  public String summary() {
    StringBuilder sb = new StringBuilder().append(status);
    sb.append(isReady() ? " in " : " after ").append(duration.toMillis()).append("ms: ");
    if (checks.isEmpty()) {
      return sb.append("no readiness checks configured, nothing to wait for").toString();
    }
    if (isReady()) {
      sb.append(checks.size()).append(checks.size() == 1 ? " check ready (" : " checks ready (");
      for (int i = 0; i < checks.size(); i++) {
        CheckReport c = checks.get(i);
        sb.append(i == 0 ? "" : "; ").append(c.name()).append(": ").append(c.reason());
      }
      return sb.append(')').toString();
    }
    CheckReport first = firstFailure().orElseThrow();
    sb.append("check '")
        .append(first.name())
        .append("' is ")
        .append(first.status())
        .append(": ")
        .append(first.reason());
    first.cause().ifPresent(c -> sb.append(" [cause: ").append(c).append(']'));
    return sb.append(" (").append(counts()).append(')').toString();
  }

  private String counts() {
    StringBuilder sb = new StringBuilder();
    for (CheckReport.Status s : CheckReport.Status.values()) {
      long n = checks.stream().filter(c -> c.status() == s).count();
      if (n > 0) {
        sb.append(sb.length() == 0 ? "" : ", ").append(n).append(' ').append(s);
      }
    }
    return sb.toString();
  }

  /**
   * {@return the full report: the {@link #summary()} line, then one numbered line per check in run
   * order with its status, duration, attempts, reason and cause}
   */
  public String describe() {
    StringBuilder sb = new StringBuilder(summary());
    for (int i = 0; i < checks.size(); i++) {
      sb.append(System.lineSeparator())
          .append("  ")
          .append(i + 1)
          .append(". ")
          .append(checks.get(i).describe());
    }
    return sb.toString();
  }

  /**
   * {@return the report as a JSON object, for health endpoints: {@code status}, {@code ready},
   * {@code startedAt}, {@code durationMs}, {@code summary}, {@code firstFailure} (only when there
   * is one) and {@code checks}, an array of objects with {@code name}, {@code order}, {@code
   * status}, {@code attempts}, {@code durationMs}, {@code reason} and {@code cause} (only when
   * known)}
   *
   * <p>Reasons and causes are meant for operators; an endpoint open to the public may prefer to
   * expose only {@code status}.
   */
  public String toJson() {
    StringBuilder array = new StringBuilder("[");
    for (int i = 0; i < checks.size(); i++) {
      CheckReport c = checks.get(i);
      Json o =
          Json.object()
              .field("name", c.name())
              .field("order", c.order())
              .field("status", c.status().name())
              .field("attempts", c.attempts())
              .field("durationMs", c.duration().toMillis())
              .field("reason", c.reason());
      c.cause().ifPresent(cause -> o.field("cause", cause.toString()));
      array.append(i == 0 ? "" : ",").append(o.end());
    }
    array.append(']');
    Json json =
        Json.object()
            .field("status", status.name())
            .field("ready", isReady())
            .field("startedAt", startedAt.toString())
            .field("durationMs", duration.toMillis())
            .field("summary", summary());
    firstFailure().ifPresent(f -> json.field("firstFailure", f.name()));
    return json.rawField("checks", array.toString()).end();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReadinessReport r
        && startedAt.equals(r.startedAt)
        && duration.equals(r.duration)
        && checks.equals(r.checks);
  }

  @Override
  public int hashCode() {
    return Objects.hash(startedAt, duration, checks);
  }

  @Override
  public String toString() {
    return "ReadinessReport{" + summary() + "}";
  }
}
