/**
 * Readiness at startup and for health endpoints: the {@link io.threadwire.startup.ReadinessCheck}
 * SPI, the transient-probe {@link io.threadwire.startup.MessagingReadinessCheck} ("no connections
 * yet" is ready), the ordered {@link io.threadwire.startup.StartupSequence} with one honest {@link
 * io.threadwire.startup.ReadinessReport}, and the {@link io.threadwire.startup.ReadinessState} a
 * health endpoint reads.
 */
package io.threadwire.startup;
