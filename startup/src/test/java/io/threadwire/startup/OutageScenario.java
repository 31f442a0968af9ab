package io.threadwire.startup;

import io.threadwire.inmemory.InMemoryThreadMessaging;
import java.util.List;

/**
 * The original outage, replayed: a production configuration, a messaging port that has just started
 * (so no client can be connected yet), and the startup check. The old code refused to start here
 * unless a {@code TESTING} flag sent it down another path.
 */
final class OutageScenario {

  /** What a production application.conf says; nothing here depends on the environment. */
  static final String PRODUCTION_CONF =
      """
      threadwire.startup {
        deadline = 30s
        check-timeout = 5s
        backoff { initial = 100ms, max = 2s, multiplier = 2.0 }
        probe { enabled = true, thread = "threadwire.probe" }
      }
      """;

  private OutageScenario() {}

  /** Starts messaging with zero connections and runs startup; throws if startup fails. */
  static ReadinessReport run(StartupSettings settings) {
    try (InMemoryThreadMessaging messaging = InMemoryThreadMessaging.create()) {
      messaging.start();
      return Startup.create(settings, messaging, List.of()).run();
    }
  }
}
