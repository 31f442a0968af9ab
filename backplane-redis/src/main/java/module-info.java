/**
 * Threadwire's Redis backplane: a {@link io.threadwire.spi.ThreadLog} shared by every node through
 * one Redis, on Lettuce.
 */
module io.threadwire.redis {
  requires transitive io.threadwire.core;
  requires lettuce.core;
  requires org.slf4j;
  requires static com.google.guice;
  requires static typesafe.config;

  exports io.threadwire.redis;

  // Guice reads ThreadwireRedisModule's bindings and provider methods reflectively.
  opens io.threadwire.redis to
      com.google.guice;
}
