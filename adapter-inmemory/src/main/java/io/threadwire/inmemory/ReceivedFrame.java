package io.threadwire.inmemory;

import io.threadwire.Message;
import io.threadwire.ThreadId;

/**
 * One frame an {@link InMemoryClient} received.
 *
 * @param thread the thread it was sent to
 * @param epoch the epoch of the thread's history
 * @param offset its history offset, 0 for a transient message
 * @param message the message
 * @param text the encoded frame text
 */
public record ReceivedFrame(
    ThreadId thread, long epoch, long offset, Message message, String text) {}
