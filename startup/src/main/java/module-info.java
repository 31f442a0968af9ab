/**
 * Threadwire's readiness checks, ordered startup sequence and readiness state for health endpoints.
 * Guice and Typesafe Config are optional ({@code requires static}).
 */
module io.threadwire.startup {
  requires transitive io.threadwire.core;
  requires org.slf4j;
  requires static com.google.guice;
  requires static typesafe.config;

  exports io.threadwire.startup;

  // Guice reads ThreadwireStartupModule's bindings and provider methods reflectively.
  opens io.threadwire.startup to
      com.google.guice;
}
