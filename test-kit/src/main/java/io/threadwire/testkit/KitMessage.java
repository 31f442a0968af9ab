package io.threadwire.testkit;

import io.threadwire.ThreadId;

/**
 * A message as a kit client received it.
 *
 * @param thread the thread it belongs to
 * @param offset its history offset, 0 for a transient message
 * @param id the message id
 * @param payload the payload text, exactly as sent (the kit sends compact JSON objects)
 */
public record KitMessage(ThreadId thread, long offset, String id, String payload) {}
