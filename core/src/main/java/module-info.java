/**
 * Threadwire's core: the {@link io.threadwire.ThreadMessaging} port and its values, the SPIs
 * transports implement ({@code io.threadwire.spi}), and the shared hub every adapter puts behind
 * the port ({@code io.threadwire.hub}). Depends on {@code java.base} only.
 */
module io.threadwire.core {
  exports io.threadwire;
  exports io.threadwire.spi;
  exports io.threadwire.hub;
}
