/**
 * What transports and extensions implement: {@link io.threadwire.spi.TransportConnection} (one
 * client connection the hub writes {@link io.threadwire.spi.Frame}s to), {@link
 * io.threadwire.spi.FrameEncoder}, the history store, and {@link
 * io.threadwire.spi.MessagingListener} with {@link io.threadwire.spi.TransportStats} for metrics.
 * Each contract is a few testable rules in its Javadoc: non-blocking, answered exactly once, never
 * throws, never calls back in.
 */
package io.threadwire.spi;
