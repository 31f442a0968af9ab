package io.threadwire.tyrus;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import com.typesafe.config.Config;
import io.threadwire.ThreadMessaging;
import io.threadwire.hub.HubSettings;
import io.threadwire.spi.ThreadLog;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * A thin Guice module over {@link TyrusThreadMessaging#builder}: binds {@link ThreadMessaging} and
 * {@link TyrusThreadMessaging} as a singleton built from the given settings.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(
 *     ThreadwireTyrusModule.fromConfig(ConfigFactory.load()),
 *     binder -> {
 *       binder.bind(HandshakeAuthenticator.class).toInstance(myAuthenticator);
 *       binder.bind(ThreadAccessPolicy.class).toInstance(myPolicy);
 *     });
 * TyrusThreadMessaging messaging = injector.getInstance(TyrusThreadMessaging.class);
 * messaging.start();      // or threadwire-startup's MessagingRuntime: start, checks, close
 * // ... at shutdown:
 * messaging.close();
 * }</pre>
 *
 * <p>{@link HandshakeAuthenticator}, {@link ThreadAccessPolicy}, {@link Clock} and {@link
 * ThreadLog} are optional bindings: bind them plainly; <b>unbound, the authenticator and the policy
 * allow everyone</b>, and the hub keeps its log in memory. Bind a shared log (for example with the
 * Redis backplane's {@code ThreadwireRedisModule}) to run several servers as one cluster. The
 * module does not start the server, and neither does a startup sequence (it only checks it): the
 * host calls {@link TyrusThreadMessaging#start()} and {@link TyrusThreadMessaging#close()}, or lets
 * {@code threadwire-startup}'s {@code MessagingRuntime} start it, run the readiness checks and
 * close it on shutdown.
 */
public final class ThreadwireTyrusModule extends AbstractModule {

  private final TyrusSettings settings;
  private final HubSettings hubSettings;

  private ThreadwireTyrusModule(TyrusSettings settings, HubSettings hubSettings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.hubSettings = Objects.requireNonNull(hubSettings, "hubSettings");
  }

  /**
   * {@return a module with {@code settings} and {@code hubSettings}}
   *
   * @param settings the settings
   * @param hubSettings the hub's settings
   */
  public static ThreadwireTyrusModule of(TyrusSettings settings, HubSettings hubSettings) {
    return new ThreadwireTyrusModule(settings, hubSettings);
  }

  /**
   * {@return a module with the settings read from {@code config}; see {@link TyrusConfig}}
   *
   * @param config the configuration to read
   * @throws com.typesafe.config.ConfigException naming the first bad key
   */
  public static ThreadwireTyrusModule fromConfig(Config config) {
    return of(TyrusConfig.tyrusSettings(config), TyrusConfig.hubSettings(config));
  }

  @Override
  protected void configure() {
    // Optional, so that a host binds them plainly with bind(...); absent means the defaults.
    OptionalBinder.newOptionalBinder(binder(), HandshakeAuthenticator.class);
    OptionalBinder.newOptionalBinder(binder(), ThreadAccessPolicy.class);
    OptionalBinder.newOptionalBinder(binder(), Clock.class);
    OptionalBinder.newOptionalBinder(binder(), ThreadLog.class);
    bind(ThreadMessaging.class).to(TyrusThreadMessaging.class);
  }

  @Provides
  @Singleton
  TyrusThreadMessaging messaging(
      Optional<HandshakeAuthenticator> authenticator,
      Optional<ThreadAccessPolicy> accessPolicy,
      Optional<Clock> clock,
      Optional<ThreadLog> threadLog) {
    TyrusThreadMessaging.Builder b =
        TyrusThreadMessaging.builder(settings)
            .hubSettings(hubSettings)
            .clock(clock.orElseGet(Clock::systemUTC))
            .authenticator(authenticator.orElseGet(HandshakeAuthenticator::allowAll))
            .accessPolicy(accessPolicy.orElseGet(ThreadAccessPolicy::allowAll));
    threadLog.ifPresent(b::threadLog);
    return b.build();
  }
}
