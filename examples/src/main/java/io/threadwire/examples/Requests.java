package io.threadwire.examples;

import io.threadwire.ThreadId;
import io.threadwire.spi.Since;

/** Validates the parts of a request: each refusal is an {@link ApiException} naming the problem. */
final class Requests {

  private Requests() {}

  /** Returns the thread id in a raw path segment; 400 with the thread id rule if invalid. */
  static ThreadId thread(String rawSegment) {
    String value = Exchanges.decode(rawSegment.replace("+", "%2B"));
    if (!ThreadId.isValid(value)) {
      throw ApiException.badRequest(
          "invalid_thread_id",
          "invalid thread id \"" + value + "\": a thread id must be " + ThreadId.RULE);
    }
    return ThreadId.of(value);
  }

  /**
   * Returns the {@code since} (and optional {@code epoch}) query values as a position; no {@code
   * since} means live only. With the epoch the client saw, a reconnect to a history that was lost
   * meanwhile (a restart) replays what is retained and reports the gap.
   */
  static Since since(String since, String epoch) {
    if (since == null || since.isEmpty()) {
      return Since.none();
    }
    long offset = nonNegative(since, "since");
    return epoch == null || epoch.isEmpty()
        ? Since.offset(offset)
        : Since.position(nonNegative(epoch, "epoch"), offset);
  }

  private static long nonNegative(String value, String name) {
    try {
      long n = Long.parseLong(value);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw ApiException.badRequest(
        "invalid_" + name, name + " must be a non-negative number, got \"" + value + "\"");
  }

  /** Returns a boolean query flag: absent or {@code false}, or {@code true} or empty. */
  static boolean flag(String value, String name) {
    if (value == null || value.equals("false")) {
      return false;
    }
    if (value.isEmpty() || value.equals("true")) {
      return true;
    }
    throw ApiException.badRequest(
        "invalid_" + name, name + " must be true or false, got \"" + value + "\"");
  }

  /** Refuses any method but {@code allowed} with 405. */
  static void allow(String method, String path, String allowed) {
    if (!method.equals(allowed)) {
      throw ApiException.methodNotAllowed(method, path, allowed);
    }
  }
}
