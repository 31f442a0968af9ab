/**
 * Threadwire's test kit: the compatibility kit every transport adapter passes, the one every thread
 * log passes, fluent assertions for send outcomes and a manual clock.
 */
module io.threadwire.testkit {
  requires transitive io.threadwire.core;
  requires transitive org.junit.jupiter.api;
  requires transitive org.assertj.core;
  // Awaitility 4.2 has no module descriptor nor Automatic-Module-Name: its name comes from the
  // jar's file name (awaitility-4.2.2.jar), as on every module path.
  requires awaitility;

  exports io.threadwire.testkit;
  exports io.threadwire.testkit.log;

  // JUnit discovers and runs the kit's inherited test methods and nested classes reflectively.
  opens io.threadwire.testkit to
      org.junit.platform.commons;
  // Likewise for the log kit: JUnit reflects on the test methods its *Kit interfaces give.
  opens io.threadwire.testkit.log to
      org.junit.platform.commons;
}
