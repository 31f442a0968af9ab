package io.threadwire.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.threadwire.Message;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import io.threadwire.ThreadMessaging;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulates an AI agent working on a request: streams {@code agent_started}, {@code thinking},
 * {@code tool_executing}, {@code tool_completed} and {@code agent_completed} to a thread, one event
 * per step delay, on a scheduler. Every event is a JSON payload with a {@code type} field, sent
 * with metadata {@code type} and an idempotency key, and every outcome is logged.
 */
final class AgentRuns {

  private static final Logger LOG = LoggerFactory.getLogger(AgentRuns.class);

  /** The events of one run, in order. */
  static final List<String> EVENTS =
      List.of("agent_started", "thinking", "tool_executing", "tool_completed", "agent_completed");

  private final ThreadMessaging messaging;
  private final ScheduledExecutorService scheduler;
  private final ObjectMapper json;
  private final Duration stepDelay;
  private final AtomicLong runs = new AtomicLong();

  AgentRuns(
      ThreadMessaging messaging,
      ScheduledExecutorService scheduler,
      ObjectMapper json,
      Duration stepDelay) {
    this.messaging = messaging;
    this.scheduler = scheduler;
    this.json = json;
    this.stepDelay = stepDelay;
  }

  /**
   * Starts a run on {@code thread}: sends the first event now and schedules the rest.
   *
   * @param prompt what the simulated user asked
   * @param first told the outcome of the first event
   * @return the run's id
   */
  String start(ThreadId thread, String prompt, Consumer<SendOutcome> first) {
    String runId = "run-" + runs.incrementAndGet();
    send(thread, runId, 0, prompt).thenAccept(first);
    for (int step = 1; step < EVENTS.size(); step++) {
      int s = step;
      scheduler.schedule(
          () -> send(thread, runId, s, prompt), stepDelay.toMillis() * step, TimeUnit.MILLISECONDS);
    }
    return runId;
  }

  /** Returns the pause between two events. */
  Duration stepDelay() {
    return stepDelay;
  }

  private CompletionStage<SendOutcome> send(
      ThreadId thread, String runId, int step, String prompt) {
    String type = EVENTS.get(step);
    Message message =
        Message.builder(payload(runId, step, type, prompt))
            .id(runId + "-" + step)
            .metadata("type", type)
            .idempotencyKey(runId + "/" + type)
            .build();
    return messaging
        .send(thread, message)
        .whenComplete(
            (outcome, failure) ->
                LOG.info(
                    "{} {} {} -> {}", thread, runId, type, outcome != null ? outcome : failure));
  }

  private String payload(String runId, int step, String type, String prompt) {
    ObjectNode p = json.createObjectNode();
    p.put("type", type);
    p.put("runId", runId);
    p.put("step", step + 1);
    switch (type) {
      case "agent_started" -> p.put("prompt", prompt);
      case "thinking" -> p.put("text", "Working out which tool can answer \"" + prompt + "\"");
      case "tool_executing" -> p.put("tool", "search").put("input", prompt);
      case "tool_completed" -> p.put("tool", "search").put("result", "3 matching documents");
      default -> p.put("answer", "Here is what I found about \"" + prompt + "\".");
    }
    try {
      return json.writeValueAsString(p);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
