package io.threadwire.spi;

import java.util.Objects;

/**
 * A {@link ThreadLog}'s answer to "can you take appends now?", for a readiness check.
 *
 * @param healthy true if the log can take appends
 * @param detail what was checked, or why it failed (for example the address that did not answer)
 */
public record LogHealth(boolean healthy, String detail) {

  /**
   * Validates the answer.
   *
   * @param detail the detail
   * @param healthy the healthy
   */
  public LogHealth {
    Objects.requireNonNull(detail, "detail");
  }

  /**
   * Returns a healthy answer.
   *
   * @param detail the detail
   * @return a healthy answer
   */
  public static LogHealth healthy(String detail) {
    return new LogHealth(true, detail);
  }

  /**
   * Returns an unhealthy answer.
   *
   * @param detail the detail
   * @return an unhealthy answer
   */
  public static LogHealth unhealthy(String detail) {
    return new LogHealth(false, detail);
  }
}
