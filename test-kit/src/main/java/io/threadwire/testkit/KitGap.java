package io.threadwire.testkit;

import io.threadwire.ThreadId;

/**
 * A gap signal as a kit client received it: stored offsets {@code from..to} of {@code epoch} will
 * never arrive ({@code from == to + 1} when no stored offset was skipped).
 *
 * @param thread the thread
 * @param epoch the epoch delivery resumes in
 * @param from the first offset skipped
 * @param to the last offset skipped
 */
public record KitGap(ThreadId thread, long epoch, long from, long to) {}
