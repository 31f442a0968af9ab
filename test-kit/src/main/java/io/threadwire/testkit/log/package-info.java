/**
 * Test helpers for authors of a {@link io.threadwire.spi.ThreadLog}: {@link
 * io.threadwire.testkit.log.ThreadLogCompatibilityKit}, the contract suite every log passes by
 * implementing {@link io.threadwire.testkit.log.LogKit#openLog} and {@link
 * io.threadwire.testkit.log.FailureKit#induceFailure}, split by concern into interfaces of default
 * tests (plus {@link io.threadwire.testkit.log.NotificationLossKit} for logs that can lose
 * notifications); a {@link io.threadwire.testkit.log.Recorder} listener that checks the listener
 * contract as it records; and {@link io.threadwire.testkit.log.RemoteLogSimulation}, a log that
 * wraps another and behaves like one across a network, with injectable failures.
 */
package io.threadwire.testkit.log;
