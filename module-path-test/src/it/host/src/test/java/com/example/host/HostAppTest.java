package com.example.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.SendOutcome;
import io.threadwire.inmemory.InMemoryThreadMessaging;
import io.threadwire.micrometer.ThreadwireMetrics;
import io.threadwire.startup.Startup;
import io.threadwire.testkit.log.ThreadLogCompatibilityKit;
import io.threadwire.tyrus.TyrusThreadMessaging;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HostAppTest {

  @Test
  void threadwireRunsAsNamedModules() throws Exception {
    assertThat(HostApp.class.getModule().getName()).isEqualTo("com.example.host");
    assertThat(TyrusThreadMessaging.class.getModule().getName()).isEqualTo("io.threadwire.tyrus");
    assertThat(InMemoryThreadMessaging.class.getModule().getName())
        .isEqualTo("io.threadwire.inmemory");
    assertThat(Startup.class.getModule().getName()).isEqualTo("io.threadwire.startup");
    assertThat(ThreadwireMetrics.class.getModule().getName())
        .isEqualTo("io.threadwire.micrometer");
    assertThat(SendOutcome.class.getModule().getName()).isEqualTo("io.threadwire.core");
    // Internals stay internal: the hub's package is exported, its helpers are not public.
    assertThat(TyrusThreadMessaging.class.getModule().getDescriptor().exports())
        .extracting(e -> e.source())
        .containsExactly("io.threadwire.tyrus");
    // The endpoint shell Tyrus calls reflectively is in a package opened to Tyrus alone.
    assertThat(TyrusThreadMessaging.class.getModule().getDescriptor().opens())
        .filteredOn(o -> o.source().equals("io.threadwire.tyrus.internal"))
        .singleElement()
        .satisfies(o -> assertThat(o.targets()).allMatch(t -> t.startsWith("org.glassfish.tyrus.")));
    assertThat(
            TyrusThreadMessaging.class
                .getModule()
                .isExported("io.threadwire.tyrus.internal", HostApp.class.getModule()))
        .isFalse();
    // The log kit is exported, so log authors can use it from the module path, and opened to
    // JUnit, which runs its inherited test methods. Surefire puts test-only dependencies on the
    // class path, so the descriptor is read from the test-kit jar itself.
    ModuleDescriptor testKit =
        ModuleFinder.of(
                Path.of(
                    ThreadLogCompatibilityKit.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI()))
            .find("io.threadwire.testkit")
            .orElseThrow()
            .descriptor();
    assertThat(testKit.exports())
        .extracting(e -> e.source())
        .contains("io.threadwire.testkit", "io.threadwire.testkit.log");
    assertThat(testKit.opens())
        .filteredOn(o -> o.source().equals("io.threadwire.testkit.log"))
        .singleElement()
        .satisfies(o -> assertThat(o.targets()).containsExactly("org.junit.platform.commons"));
  }

  @Test
  void tyrusServesAClientAndItsMetersMove() throws Exception {
    HostApp.Figures f = HostApp.tyrus();
    assertThat(f.ready()).isTrue();
    assertThat(f.outcome().status()).isEqualTo(SendOutcome.Status.DELIVERED);
    assertThat(f.received()).contains("\"joined\"").contains("{\"hello\":1}");
    var r = f.registry();
    // The startup probe (no recipients) and the delivered send.
    assertThat(r.get("threadwire.sends").tags("status", "no_recipients").functionCounter().count())
        .isEqualTo(1);
    assertThat(r.get("threadwire.sends").tags("status", "delivered").functionCounter().count())
        .isEqualTo(1);
    assertThat(r.get("threadwire.deliveries").functionCounter().count()).isEqualTo(1);
    assertThat(r.get("threadwire.joins").tags("status", "joined").functionCounter().count()).isEqualTo(1);
    // Timed: the delivered send; the probe to a thread nobody tracks ends before the log.
    assertThat(r.get("threadwire.send.latency").functionTimer().count()).isEqualTo(1);
    assertThat(f.connectionsWhileRunning()).isEqualTo(1);
  }

  @Test
  void inMemoryDeliversAndItsMetersMove() {
    HostApp.Figures f = HostApp.inMemory();
    assertThat(f.outcome().deliveredCount()).isEqualTo(1);
    assertThat(f.received()).contains("hi");
    assertThat(f.registry().get("threadwire.sends").tags("status", "delivered").functionCounter().count())
        .isEqualTo(1);
    assertThat(f.connectionsWhileRunning()).isEqualTo(1);
  }
}
