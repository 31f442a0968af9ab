/**
 * A runnable host application wired with Guice and Typesafe Config: an HTTP API answering {@code
 * SendOutcome}s, simulated agent runs, a demo page, health endpoints and Prometheus metrics, over
 * the Tyrus transport or the in-memory one. Not published; read it as an example of wiring.
 */
package io.threadwire.examples;
