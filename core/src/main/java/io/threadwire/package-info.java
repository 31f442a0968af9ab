/**
 * The port a host application calls and its values: {@link io.threadwire.ThreadMessaging} sends a
 * {@link io.threadwire.Message} to a {@link io.threadwire.ThreadId} and answers a {@link
 * io.threadwire.SendOutcome} that says honestly what happened; {@link io.threadwire.SendOptions},
 * {@link io.threadwire.HistoryPolicy} and the identifiers ({@link io.threadwire.ConnectionId},
 * {@link io.threadwire.UserId}) complete it. Everything here is immutable, null-free and depends on
 * the JDK only.
 */
package io.threadwire;
