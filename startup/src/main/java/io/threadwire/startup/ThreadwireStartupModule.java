package io.threadwire.startup;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.threadwire.ThreadMessaging;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Guice wiring of {@link Startup}: a thin wrapper over {@link Startup#create}. Guice is an optional
 * dependency of this module; only this class needs it.
 *
 * <p>The injector must bind {@link ThreadMessaging} (an adapter's module does). Host applications
 * add their own checks with a multibinder:
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(
 *     adapterModule,
 *     ThreadwireStartupModule.create(StartupSettings.fromConfig(config)),
 *     new AbstractModule() {
 *       protected void configure() {
 *         Multibinder.newSetBinder(binder(), ReadinessCheck.class)
 *             .addBinding().to(DatabaseReadinessCheck.class);
 *       }
 *     });
 * // Startup checks messaging, it does not start it: MessagingRuntime starts, runs and closes.
 * MessagingRuntime runtime = MessagingRuntime.builder(
 *         injector.getInstance(ThreadMessaging.class), injector.getInstance(Startup.class))
 *     .closeOnShutdown()
 *     .start();
 * }</pre>
 *
 * <p>It provides {@link Startup}, {@link StartupSequence} and {@link ReadinessState} as singletons.
 * Set iteration order does not matter: checks run by order, then name.
 */
public final class ThreadwireStartupModule extends AbstractModule {

  private final StartupSettings settings;

  private ThreadwireStartupModule(StartupSettings settings) {
    this.settings = settings;
  }

  /**
   * {@return a module that builds {@link Startup} with {@code settings}}
   *
   * @param settings the settings
   */
  public static ThreadwireStartupModule create(StartupSettings settings) {
    return new ThreadwireStartupModule(Objects.requireNonNull(settings, "settings"));
  }

  @Override
  protected void configure() {
    // Declared here so that a host without checks of its own gets an empty set, not an error.
    Multibinder.newSetBinder(binder(), ReadinessCheck.class);
  }

  @Provides
  @Singleton
  Startup startup(ThreadMessaging messaging, Set<ReadinessCheck> checks) {
    return Startup.create(settings, messaging, List.copyOf(checks));
  }

  @Provides
  @Singleton
  StartupSequence sequence(Startup startup) {
    return startup.sequence();
  }

  @Provides
  @Singleton
  ReadinessState readiness(Startup startup) {
    return startup.readiness();
  }
}
