/**
 * An in-process Threadwire transport: the full hub with fake client connections, for a host's own
 * tests and as an embedded default.
 */
module io.threadwire.inmemory {
  requires transitive io.threadwire.core;

  exports io.threadwire.inmemory;
}
