package io.threadwire.startup;

/**
 * Runs {@link OutageScenario} in a JVM of its own, for {@link TestingFlagIndependenceTest}.
 *
 * <p>Argument {@code config}: settings from the production configuration text through Typesafe
 * Config; {@code plain}: {@link StartupSettings#defaults()}, without touching Typesafe Config.
 * Prints the {@code TESTING} variable it sees and one {@code RESULT ...} line, and exits 0 if
 * startup was ready, 1 if it failed.
 */
public final class OutageScenarioMain {

  private OutageScenarioMain() {}

  /** Runs the scenario. */
  public static void main(String[] args) {
    StartupSettings settings =
        args.length > 0 && args[0].equals("config")
            ? FromConfig.settings()
            : StartupSettings.defaults();
    ReadinessReport report;
    int exit;
    try {
      report = OutageScenario.run(settings);
      exit = 0;
    } catch (StartupFailedException e) {
      report = e.report();
      exit = 1;
    }
    // Test code may look: this line proves the variable did (or did not) reach this JVM.
    System.out.println("ENV TESTING=" + System.getenv("TESTING"));
    CheckReport messaging = report.check(MessagingReadinessCheck.NAME).orElseThrow();
    System.out.println(
        "RESULT status="
            + report.status()
            + " messaging="
            + messaging.status()
            + " attempts="
            + messaging.attempts()
            + " reason="
            + messaging.reason());
    System.out.flush();
    System.exit(exit);
  }

  /** Kept apart so that the plain mode never loads a Typesafe Config class. */
  private static final class FromConfig {
    static StartupSettings settings() {
      return StartupSettings.fromConfig(
          com.typesafe.config.ConfigFactory.parseString(OutageScenario.PRODUCTION_CONF));
    }
  }
}
