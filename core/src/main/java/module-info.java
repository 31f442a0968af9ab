/**
 * Threadwire's core: the {@link io.threadwire.ThreadMessaging} port and its values, the SPIs
 * transports implement ({@code io.threadwire.spi}), and the shared hub every adapter puts behind
 * the port ({@code io.threadwire.hub}). Depends on {@code java.base} only.
 */
module io.threadwire.core {
  exports io.threadwire;
  exports io.threadwire.spi;
  // Exported to everyone, not only to the Threadwire modules: besides adapter authors (who build
  // a transport on ThreadHub), hosts use this package's HubSettings (every adapter's builder takes
  // one), HubStats (messaging.hub()::stats feeds the metrics gauges) and InMemoryThreadLog (the
  // default ThreadLog, to wrap or pass explicitly). Its internals (the fan-out, sequencer, joins,
  // maintenance, outcomes) are package-private, so nothing internal is exported.
  exports io.threadwire.hub;
}
