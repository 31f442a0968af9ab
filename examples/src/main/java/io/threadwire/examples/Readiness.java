package io.threadwire.examples;

import java.util.List;

/**
 * Is messaging ready? Answered once before the HTTP server serves anything (startup gating) and
 * again for every {@code GET /health/ready}. The example keeps this seam small so the checks behind
 * it can come from the startup module without touching the HTTP side.
 */
interface Readiness {

  /**
   * Runs the startup checks; returns the report when ready.
   *
   * @throws StartupFailedException carrying the report when messaging is broken
   */
  Report awaitStartup();

  /** Re-runs the checks, bounded by their timeouts, and returns the fresh report. */
  Report current();

  /**
   * A readiness report, rendered as JSON by the health endpoint.
   *
   * @param state {@code STARTING}, {@code READY} or {@code NOT_READY}
   * @param summary one line for logs and people
   * @param checks every check with its status, duration and reason
   */
  record Report(String state, String summary, List<Check> checks) {

    /** Returns true if the state is {@code READY}. */
    boolean ready() {
      return "READY".equals(state);
    }
  }

  /**
   * One check's result.
   *
   * @param name the check's name
   * @param status {@code READY}, {@code NOT_READY} or {@code FAILED}
   * @param durationMillis how long it took
   * @param reason why, in words
   */
  record Check(String name, String status, long durationMillis, String reason) {}
}
