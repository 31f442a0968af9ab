/** Micrometer meters for Threadwire: a {@code MeterBinder} and the listener that feeds it. */
module io.threadwire.micrometer {
  requires transitive io.threadwire.core;
  requires transitive micrometer.core;

  exports io.threadwire.micrometer;
}
