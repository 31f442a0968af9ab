package io.threadwire.testkit;

import io.threadwire.ConnectionId;
import io.threadwire.SendOutcome;
import io.threadwire.SendOutcome.ErrorKind;
import io.threadwire.SendOutcome.Status;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.AbstractAssert;

/**
 * Fluent AssertJ assertions for {@link SendOutcome}.
 *
 * <pre>{@code
 * assertThat(outcome).isDelivered().hasDeliveredCount(2).hasFailedCount(1);
 * assertThatOutcomeOf(messaging.send(thread, message)).isQueued().hasOffset(1);
 * }</pre>
 */
public final class SendOutcomeAssert extends AbstractAssert<SendOutcomeAssert, SendOutcome> {

  private SendOutcomeAssert(SendOutcome actual) {
    super(actual, SendOutcomeAssert.class);
  }

  /**
   * Starts assertions on {@code outcome}.
   *
   * @param outcome the outcome to check
   * @return assertions on the outcome
   */
  public static SendOutcomeAssert assertThat(SendOutcome outcome) {
    return new SendOutcomeAssert(outcome);
  }

  /**
   * Waits up to 10 seconds for {@code stage}, then starts assertions on its outcome.
   *
   * @param stage the stage to wait for
   * @return assertions on the outcome
   */
  public static SendOutcomeAssert assertThatOutcomeOf(CompletionStage<SendOutcome> stage) {
    try {
      return new SendOutcomeAssert(stage.toCompletableFuture().get(10, TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new AssertionError("the send did not complete normally within 10s: " + e, e);
    }
  }

  /**
   * Checks the status.
   *
   * @param status the status
   * @return this assertion
   */
  public SendOutcomeAssert hasStatus(Status status) {
    isNotNull();
    if (actual.status() != status) {
      failWithMessage("expected status %s but was %s", status, actual);
    }
    return this;
  }

  /**
   * Checks the status is {@link Status#DELIVERED}.
   *
   * @return this assertion
   */
  public SendOutcomeAssert isDelivered() {
    return hasStatus(Status.DELIVERED);
  }

  /**
   * Checks the status is {@link Status#QUEUED}.
   *
   * @return this assertion
   */
  public SendOutcomeAssert isQueued() {
    return hasStatus(Status.QUEUED);
  }

  /**
   * Checks the status is {@link Status#NO_RECIPIENTS}.
   *
   * @return this assertion
   */
  public SendOutcomeAssert hasNoRecipients() {
    return hasStatus(Status.NO_RECIPIENTS);
  }

  /**
   * Checks the status is {@link Status#ERROR}.
   *
   * @return this assertion
   */
  public SendOutcomeAssert isError() {
    return hasStatus(Status.ERROR);
  }

  /**
   * Checks the status is {@link Status#ERROR} of {@code kind}.
   *
   * @param kind what kind of error
   * @return this assertion
   */
  public SendOutcomeAssert isError(ErrorKind kind) {
    isError();
    if (actual.errorKind().orElse(null) != kind) {
      failWithMessage("expected error kind %s but was %s", kind, actual);
    }
    return this;
  }

  /**
   * Checks the outcome is accepted (not an error).
   *
   * @return this assertion
   */
  public SendOutcomeAssert isAccepted() {
    isNotNull();
    if (!actual.isAccepted()) {
      failWithMessage("expected an accepted outcome but was %s", actual);
    }
    return this;
  }

  /**
   * Checks the delivered count.
   *
   * @param expected the expected value
   * @return this assertion
   */
  public SendOutcomeAssert hasDeliveredCount(int expected) {
    isNotNull();
    if (actual.deliveredCount() != expected) {
      failWithMessage("expected deliveredCount %s but was %s", expected, actual);
    }
    return this;
  }

  /**
   * Checks the failed count.
   *
   * @param expected the expected value
   * @return this assertion
   */
  public SendOutcomeAssert hasFailedCount(int expected) {
    isNotNull();
    if (actual.failedCount() != expected) {
      failWithMessage("expected failedCount %s but was %s", expected, actual);
    }
    return this;
  }

  /**
   * Checks the unconfirmed count.
   *
   * @param expected the expected value
   * @return this assertion
   */
  public SendOutcomeAssert hasUnconfirmedCount(int expected) {
    isNotNull();
    if (actual.unconfirmedCount() != expected) {
      failWithMessage("expected unconfirmedCount %s but was %s", expected, actual);
    }
    return this;
  }

  /**
   * Checks that the failed connections include {@code id}.
   *
   * @param id the id
   * @return this assertion
   */
  public SendOutcomeAssert hasFailedConnection(ConnectionId id) {
    isNotNull();
    if (!actual.failedConnections().contains(id)) {
      failWithMessage("expected failed connections to contain %s but was %s", id, actual);
    }
    return this;
  }

  /**
   * Checks the history offset.
   *
   * @param expected the expected value
   * @return this assertion
   */
  public SendOutcomeAssert hasOffset(long expected) {
    isNotNull();
    if (actual.offset().isEmpty() || actual.offset().getAsLong() != expected) {
      failWithMessage("expected offset %s but was %s", expected, actual);
    }
    return this;
  }

  /**
   * Checks the message was not stored.
   *
   * @return this assertion
   */
  public SendOutcomeAssert hasNoOffset() {
    isNotNull();
    if (actual.offset().isPresent()) {
      failWithMessage("expected no offset but was %s", actual);
    }
    return this;
  }

  /**
   * Checks the outcome answers a duplicate send.
   *
   * @return this assertion
   */
  public SendOutcomeAssert isDuplicate() {
    isNotNull();
    if (!actual.isDuplicate()) {
      failWithMessage("expected a duplicate outcome but was %s", actual);
    }
    return this;
  }

  /**
   * Checks the reason contains {@code text}.
   *
   * @param text the text
   * @return this assertion
   */
  public SendOutcomeAssert hasReasonContaining(String text) {
    isNotNull();
    if (!actual.reason().contains(text)) {
      failWithMessage("expected reason to contain \"%s\" but was %s", text, actual);
    }
    return this;
  }
}
