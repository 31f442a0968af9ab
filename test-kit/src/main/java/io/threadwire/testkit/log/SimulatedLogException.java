package io.threadwire.testkit.log;

/** A failure injected by {@link RemoteLogSimulation}. */
public final class SimulatedLogException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the failure with {@code message}.
   *
   * @param message what failed
   */
  public SimulatedLogException(String message) {
    super(message);
  }
}
