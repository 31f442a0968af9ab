package io.threadwire.redis;

/**
 * Why a {@link RedisThreadLog} call failed: Redis could not be reached, did not answer within the
 * command timeout, or answered with an error. The message names the operation, the thread and the
 * Redis address (without its password); the cause is the client's exception.
 */
public final class RedisLogException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, and where
   * @param cause the client's exception
   */
  public RedisLogException(String message, Throwable cause) {
    super(message, cause);
  }
}
