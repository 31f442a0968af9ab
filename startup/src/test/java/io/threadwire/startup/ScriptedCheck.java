package io.threadwire.startup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** A readiness check for tests: answers from a script, counts calls, records the call order. */
final class ScriptedCheck implements ReadinessCheck {

  private final String name;
  private final int order;
  private final Optional<Duration> timeout;
  private final List<Supplier<CompletionStage<CheckResult>>> script;
  private final AtomicInteger calls = new AtomicInteger();
  private final List<String> journal;

  private ScriptedCheck(
      String name,
      int order,
      Optional<Duration> timeout,
      List<Supplier<CompletionStage<CheckResult>>> script,
      List<String> journal) {
    this.name = name;
    this.order = order;
    this.timeout = timeout;
    this.script = script;
    this.journal = journal;
  }

  static Builder named(String name) {
    return new Builder(name);
  }

  /** Returns a check that always answers {@code result} at once. */
  static ScriptedCheck always(String name, CheckResult result) {
    return named(name).then(result).build();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int order() {
    return order;
  }

  @Override
  public Optional<Duration> timeout() {
    return timeout;
  }

  @Override
  public CompletionStage<CheckResult> check() {
    int call = calls.getAndIncrement();
    synchronized (journal) {
      journal.add(name);
    }
    return script.get(Math.min(call, script.size() - 1)).get();
  }

  int calls() {
    return calls.get();
  }

  static final class Builder {
    private final String name;
    private int order;
    private Optional<Duration> timeout = Optional.empty();
    private final List<Supplier<CompletionStage<CheckResult>>> script = new ArrayList<>();
    private List<String> journal = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    Builder order(int value) {
      order = value;
      return this;
    }

    Builder timeout(Duration value) {
      timeout = Optional.of(value);
      return this;
    }

    Builder journal(List<String> value) {
      journal = value;
      return this;
    }

    /** Answers {@code result} at once; the last step of the script repeats. */
    Builder then(CheckResult result) {
      script.add(() -> CompletableFuture.completedFuture(result));
      return this;
    }

    /** Runs {@code step} for the answer: it may block, throw, or never complete. */
    Builder thenDo(Supplier<CompletionStage<CheckResult>> step) {
      script.add(step);
      return this;
    }

    ScriptedCheck build() {
      if (script.isEmpty()) {
        throw new IllegalStateException("empty script");
      }
      return new ScriptedCheck(name, order, timeout, List.copyOf(script), journal);
    }
  }
}
