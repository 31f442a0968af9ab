/**
 * The load harness behind the WebSocket figures: a server rig, a lean single-threaded NIO load
 * client driven over standard input, and one phase class per measurement (fan-out, latency, slow
 * consumers, replay, memory). Not published.
 */
package io.threadwire.benchmarks.load;
