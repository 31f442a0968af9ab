package io.threadwire.startup;

import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import io.threadwire.ThreadMessaging;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Asks the thread-messaging port whether it can accept a message, never whether somebody is
 * connected: it sends a transient probe to a reserved probe thread.
 *
 * <p>The probe is sent with {@link SendOptions#transientSend()}, so it is never stored in history,
 * never gets an offset and is never replayed to a client that joins later. Its outcome maps as
 * follows:
 *
 * <table>
 *   <caption>Probe outcome to check result</caption>
 *   <tr><th>outcome</th><th>result</th><th>reason</th></tr>
 *   <tr><td>{@code NO_RECIPIENTS}</td><td>{@code READY}</td>
 *       <td>{@value #NO_RECIPIENTS_REASON}: the normal answer, at startup and later, since no
 *           client joins the reserved probe thread; it says nothing about other threads'
 *           clients</td></tr>
 *   <tr><td>{@code DELIVERED}</td><td>{@code READY}</td><td>how many connections got it</td></tr>
 *   <tr><td>{@code QUEUED}</td><td>{@code READY}</td><td>the outcome's reason</td></tr>
 *   <tr><td>{@code ERROR}, and {@link ThreadMessaging#startFailure()} is present</td>
 *       <td>{@code FAILED}</td><td>"messaging failed to start: " and the start failure (for a
 *           network transport, its address and cause), with it as the cause</td></tr>
 *   <tr><td>{@code ERROR}</td><td>{@code FAILED}</td>
 *       <td>the error kind and reason, with the outcome's cause (for example a closed port, or a
 *           transport whose every write failed)</td></tr>
 *   <tr><td>no answer within the check's timeout</td><td>{@code NOT_READY}</td>
 *       <td>a timeout reason, given by the {@link StartupSequence}</td></tr>
 * </table>
 *
 * <p>The port must have been started by the host before the check runs; a port that was never
 * started answers {@code ERROR}/{@code NOT_STARTED}, and the check fails saying so.
 */
public final class MessagingReadinessCheck implements ReadinessCheck {

  /** The name of this check in reports. */
  public static final String NAME = "messaging";

  /** The order of this check: before the default order 0, so messaging is checked first. */
  public static final int ORDER = -1000;

  /** The metadata key marking a probe message, with the value {@code "true"}. */
  public static final String PROBE_METADATA_KEY = "threadwire.probe";

  /** The reason of a {@code NO_RECIPIENTS} answer, which is {@code READY}. */
  public static final String NO_RECIPIENTS_REASON =
      "messaging accepted the probe (nobody joins the probe thread; client connections elsewhere"
          + " are not counted)";

  private static final String PROBE_PAYLOAD = "{\"type\":\"threadwire.probe\"}";

  private final ThreadMessaging messaging;
  private final ThreadId probeThread;

  private MessagingReadinessCheck(ThreadMessaging messaging, ThreadId probeThread) {
    this.messaging = messaging;
    this.probeThread = probeThread;
  }

  /**
   * {@return a check that probes {@code messaging} on the default probe thread}
   *
   * @param messaging the messaging instance to probe
   */
  public static MessagingReadinessCheck create(ThreadMessaging messaging) {
    return create(messaging, StartupSettings.defaults().probeThread());
  }

  /**
   * {@return a check that probes {@code messaging} on {@code probeThread}}
   *
   * @param messaging the messaging instance to probe
   * @param probeThread the reserved thread the probe is sent to
   */
  public static MessagingReadinessCheck create(ThreadMessaging messaging, ThreadId probeThread) {
    return new MessagingReadinessCheck(
        Objects.requireNonNull(messaging, "messaging"),
        Objects.requireNonNull(probeThread, "probeThread"));
  }

  /** Returns {@value #NAME}. */
  @Override
  public String name() {
    return NAME;
  }

  /** Returns {@value #ORDER}. */
  @Override
  public int order() {
    return ORDER;
  }

  /** {@return the thread the probe is sent to} */
  public ThreadId probeThread() {
    return probeThread;
  }

  /** Sends one transient probe and maps its outcome as the class documentation says. */
  @Override
  public CompletionStage<CheckResult> check() {
    Message probe = Message.builder(PROBE_PAYLOAD).metadata(PROBE_METADATA_KEY, "true").build();
    return messaging
        .send(probeThread, probe, SendOptions.transientSend())
        .thenApply(this::toResult);
  }

  private CheckResult toResult(SendOutcome outcome) {
    return switch (outcome.status()) {
      case NO_RECIPIENTS -> CheckResult.ready(NO_RECIPIENTS_REASON);
      case DELIVERED ->
          CheckResult.ready(
              "messaging accepted the probe: delivered to "
                  + outcome.deliveredCount()
                  + " of "
                  + (outcome.deliveredCount() + outcome.failedCount())
                  + " connection(s) of probe thread "
                  + probeThread);
      case QUEUED -> CheckResult.ready("messaging accepted the probe: " + outcome.reason());
      case ERROR -> {
        java.util.Optional<Throwable> startFailure = messaging.startFailure();
        if (startFailure.isPresent()) {
          yield CheckResult.failed(
              "messaging failed to start: " + String.valueOf(startFailure.get().getMessage()),
              startFailure.get());
        }
        String reason =
            "messaging refused the probe on thread "
                + probeThread
                + ": "
                + outcome.errorKind().map(Enum::name).orElse("ERROR")
                + ": "
                + outcome.reason();
        yield outcome
            .cause()
            .map(cause -> CheckResult.failed(reason, cause))
            .orElseGet(() -> CheckResult.failed(reason));
      }
    };
  }

  @Override
  public String toString() {
    return "MessagingReadinessCheck{probeThread=" + probeThread + ", messaging=" + messaging + "}";
  }
}
