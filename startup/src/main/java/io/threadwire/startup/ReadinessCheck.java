package io.threadwire.startup;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One thing that must be ready before the host application serves traffic: the service provider
 * interface host applications implement for their own dependencies, next to the built-in {@link
 * MessagingReadinessCheck}.
 *
 * <p>A check answers one of three ways (see {@link CheckResult}): {@code READY}, {@code NOT_READY}
 * ("not yet", retried with backoff until the startup deadline) or {@code FAILED} ("broken", startup
 * stops at once). The {@link StartupSequence} runs checks ordered by {@link #order()}, then by
 * {@link #name()}, each attempt bounded by {@link #timeout()}.
 *
 * <p>The sequence never trusts a check blindly: a check that throws, returns a stage that completes
 * exceptionally, or does not answer within its timeout is reported as such, never as ready. {@link
 * #check()} is called on a worker thread, so a check that blocks is still cut off by its timeout;
 * it should nevertheless be non-blocking and must be safe to call again after a timeout. While a
 * call has not returned, the sequence does not call the check again: those attempts are reported
 * {@code NOT_READY} ("still running from an earlier attempt"), so a check that blocks forever holds
 * one thread, not one per attempt.
 */
public interface ReadinessCheck {

  /** {@return a short, stable, unique name shown in reports and logs, for example "database"} */
  String name();

  /**
   * {@return where this check runs: lower first; checks with the same order run by name} The
   * default is 0; the messaging check uses {@link MessagingReadinessCheck#ORDER} to run first.
   */
  default int order() {
    return 0;
  }

  /**
   * {@return how long one attempt may take; empty (the default) uses the configured default check
   * timeout, {@link StartupSettings#checkTimeout()}}
   */
  default Optional<Duration> timeout() {
    return Optional.empty();
  }

  /**
   * Runs one attempt of the check.
   *
   * @return a stage completing with the result; completing exceptionally counts as {@code FAILED}
   */
  CompletionStage<CheckResult> check();
}
