/**
 * An in-process transport: {@link io.threadwire.inmemory.InMemoryThreadMessaging} runs the full hub
 * with fake {@link io.threadwire.inmemory.InMemoryClient} connections instead of sockets, with
 * injectable {@link io.threadwire.inmemory.Fault}s, for a host's own tests and as an embedded
 * default.
 */
package io.threadwire.inmemory;
