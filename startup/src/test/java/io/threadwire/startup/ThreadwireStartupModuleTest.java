package io.threadwire.startup;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.Multibinder;
import io.threadwire.ThreadMessaging;
import io.threadwire.inmemory.InMemoryThreadMessaging;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ThreadwireStartupModule")
class ThreadwireStartupModuleTest {

  final InMemoryThreadMessaging messaging = InMemoryThreadMessaging.create();

  @AfterEach
  void close() {
    messaging.close();
  }

  /** Stands for an adapter's module: binds the port. */
  final class PortModule extends AbstractModule {
    @Override
    protected void configure() {
      bind(ThreadMessaging.class).toInstance(messaging);
    }
  }

  /** A host check, built by Guice. */
  static final class DatabaseCheck implements ReadinessCheck {
    @Override
    public String name() {
      return "database";
    }

    @Override
    public CompletionStage<CheckResult> check() {
      return CompletableFuture.completedFuture(CheckResult.ready("pool up"));
    }
  }

  @Test
  @DisplayName("host checks added with a Multibinder run after the messaging check")
  void multibinder() {
    messaging.start();
    ScriptedCheck cache = ScriptedCheck.always("cache", CheckResult.ready("warm"));
    Injector injector =
        Guice.createInjector(
            new PortModule(),
            ThreadwireStartupModule.create(StartupSettings.defaults()),
            new AbstractModule() {
              @Override
              protected void configure() {
                Multibinder<ReadinessCheck> checks =
                    Multibinder.newSetBinder(binder(), ReadinessCheck.class);
                checks.addBinding().to(DatabaseCheck.class);
                checks.addBinding().toInstance(cache);
              }
            });

    Startup startup = injector.getInstance(Startup.class);
    ReadinessReport report = startup.run();

    assertThat(report.checks())
        .extracting(CheckReport::name)
        .containsExactly("messaging", "cache", "database");
    assertThat(report.check("messaging").orElseThrow().reason())
        .contains("nobody joins the probe thread");
    assertThat(injector.getInstance(Startup.class)).isSameAs(startup);
    assertThat(injector.getInstance(ReadinessState.class)).isSameAs(startup.readiness());
    assertThat(injector.getInstance(StartupSequence.class)).isSameAs(startup.sequence());
    assertThat(injector.getInstance(ReadinessState.class).isReady()).isTrue();
  }

  @Test
  @DisplayName("works without host checks: only the messaging check runs")
  void noHostChecks() {
    messaging.start();
    Injector injector =
        Guice.createInjector(
            new PortModule(), ThreadwireStartupModule.create(StartupSettings.defaults()));

    ReadinessReport report = injector.getInstance(Startup.class).run();

    assertThat(report.checks()).extracting(CheckReport::name).containsExactly("messaging");
  }

  @Test
  @DisplayName("takes its settings as given, for example with the probe disabled")
  void settingsApplied() {
    Injector injector =
        Guice.createInjector(
            new PortModule(),
            ThreadwireStartupModule.create(StartupSettings.defaults().withProbeEnabled(false)));

    ReadinessReport report = injector.getInstance(Startup.class).run();

    assertThat(report.checks()).isEmpty();
    assertThat(report.isReady()).isTrue();
  }
}
