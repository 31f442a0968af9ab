package io.threadwire.examples;

import io.threadwire.startup.CheckResult;
import io.threadwire.startup.ReadinessCheck;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The application's own readiness check, next to the startup module's messaging probe: agent runs
 * need their scheduler. It shows how a host adds a check (a {@code Multibinder} binding in {@link
 * ExampleModule}); it runs after the messaging check.
 */
final class AgentRunsReadinessCheck implements ReadinessCheck {

  private final ScheduledExecutorService scheduler;

  AgentRunsReadinessCheck(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  public String name() {
    return "agent-runs";
  }

  @Override
  public CompletionStage<CheckResult> check() {
    return CompletableFuture.completedFuture(
        scheduler.isShutdown()
            ? CheckResult.failed("the agent-run scheduler is shut down")
            : CheckResult.ready("the agent-run scheduler is running"));
  }
}
