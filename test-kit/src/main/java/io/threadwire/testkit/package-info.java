/**
 * Published test helpers: {@link io.threadwire.testkit.ThreadMessagingCompatibilityKit}, the
 * contract suite every transport adapter passes by implementing a few hooks, fluent {@link
 * io.threadwire.testkit.SendOutcomeAssert} assertions and a {@link
 * io.threadwire.testkit.ManualClock} so no test depends on wall time.
 */
package io.threadwire.testkit;
