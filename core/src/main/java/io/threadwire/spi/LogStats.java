package io.threadwire.spi;

/**
 * What a {@link ThreadLog} holds in this process, for the hub's stats; a log that keeps its data
 * elsewhere reports zeros.
 *
 * @param threads threads held
 * @param messages stored messages retained
 * @param bytes bytes retained, by {@link io.threadwire.Message#sizeEstimate()}
 */
public record LogStats(long threads, long messages, long bytes) {

  /** Nothing held here. */
  public static final LogStats NONE = new LogStats(0, 0, 0);
}
