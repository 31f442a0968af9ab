package io.threadwire.examples;

/** Thrown when the application refuses to start because a readiness check failed. */
public final class StartupFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  StartupFailedException(String report, Throwable cause) {
    super(report, cause);
  }
}
