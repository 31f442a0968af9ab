package io.threadwire.startup;

/**
 * Thrown when startup ends not ready: a check failed, or was still not ready when the deadline
 * passed. The message lists every check in run order with its status, duration, attempts and
 * reason, and names the check that failed first; {@link #report()} carries the same facts as
 * values.
 */
public final class StartupFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  // Transient: a report holds arbitrary causes; the message keeps its text across serialization.
  private final transient ReadinessReport report;

  /**
   * Creates the exception for {@code report}, which must not be ready.
   *
   * @param report the failed startup's report
   */
  public StartupFailedException(ReadinessReport report) {
    super(message(report), report.firstFailure().flatMap(CheckReport::cause).orElse(null));
    if (report.isReady()) {
      throw new IllegalArgumentException("a ready report is not a startup failure");
    }
    this.report = report;
  }

  private static String message(ReadinessReport report) {
    String first =
        report
            .firstFailure()
            .map(c -> "check '" + c.name() + "' failed first (" + c.status() + ")")
            .orElse("no check failed, yet the report is not ready");
    return "Threadwire startup failed: " + first + System.lineSeparator() + report.describe();
  }

  /** {@return the full report of the failed run} */
  public ReadinessReport report() {
    return report;
  }

  /** {@return the check that failed first} */
  public CheckReport firstFailure() {
    return report.firstFailure().orElseThrow();
  }
}
