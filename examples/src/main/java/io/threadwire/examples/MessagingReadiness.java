package io.threadwire.examples;

import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadMessaging;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Readiness against the port, not against connections: a transient probe on the reserved probe
 * thread. {@code DELIVERED}, {@code QUEUED} and {@code NO_RECIPIENTS} all mean the infrastructure
 * accepted it, so "no connections yet" is ready; only {@code ERROR} or no answer in time is not.
 * The probe is transient, so it is never stored or replayed to a client.
 */
final class MessagingReadiness implements Readiness {

  private static final String NAME = "messaging";

  private final ThreadMessaging messaging;
  private final ExampleSettings settings;

  MessagingReadiness(ThreadMessaging messaging, ExampleSettings settings) {
    this.messaging = messaging;
    this.settings = settings;
  }

  @Override
  public Report awaitStartup() {
    Report report = current();
    if (!report.ready()) {
      throw new StartupFailedException(describe(report), null);
    }
    return report;
  }

  @Override
  public Report current() {
    long start = System.nanoTime();
    Check check = probe(start);
    String state = check.status().equals("READY") ? "READY" : "NOT_READY";
    String summary = state + ": " + NAME + " " + check.status() + " (" + check.reason() + ")";
    return new Report(state, summary, List.of(check));
  }

  private Check probe(long start) {
    Message probe =
        Message.builder("{\"type\":\"readiness_probe\"}").metadata("type", "probe").build();
    SendOptions options = SendOptions.transientSend().withTimeout(settings.readinessTimeout());
    try {
      SendOutcome outcome =
          messaging
              .send(settings.probeThread(), probe, options)
              .toCompletableFuture()
              .get(settings.readinessTimeout().toMillis(), TimeUnit.MILLISECONDS);
      if (outcome.isAccepted()) {
        String detail =
            outcome.status() == SendOutcome.Status.NO_RECIPIENTS
                ? "no connections yet"
                : outcome.reason();
        return check("READY", start, "probe " + outcome.status() + ": " + detail);
      }
      return check(
          "FAILED",
          start,
          "probe ERROR "
              + outcome.errorKind().map(Enum::name).orElse("")
              + ": "
              + outcome.reason()
              + outcome.cause().map(c -> " (cause: " + c + ")").orElse(""));
    } catch (TimeoutException e) {
      return check("NOT_READY", start, "no answer within " + settings.readinessTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return check("NOT_READY", start, "interrupted");
    } catch (ExecutionException e) {
      return check("FAILED", start, "probe failed: " + e.getCause());
    }
  }

  private static Check check(String status, long start, String reason) {
    return new Check(
        NAME, status, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), reason);
  }

  private static String describe(Report report) {
    StringBuilder sb = new StringBuilder("startup failed: messaging is not ready\n");
    for (Check c : report.checks()) {
      sb.append("  ")
          .append(c.name())
          .append(": ")
          .append(c.status())
          .append(" in ")
          .append(c.durationMillis())
          .append(" ms: ")
          .append(c.reason())
          .append('\n');
    }
    return sb.toString();
  }
}
