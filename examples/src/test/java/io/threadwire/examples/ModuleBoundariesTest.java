package io.threadwire.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * STYLE.md rule 1 between modules: no adapter depends on another adapter, and neither {@code core}
 * nor {@code startup} nor the test kit depends on an adapter. Checked here because this module's
 * test classpath holds every module's main classes.
 */
@DisplayName("Module boundaries")
class ModuleBoundariesTest {

  private static final String CORE_API = "io.threadwire";
  private static final String SPI = "io.threadwire.spi..";
  private static final String HUB = "io.threadwire.hub..";
  private static final String INMEMORY = "io.threadwire.inmemory..";
  private static final String TYRUS = "io.threadwire.tyrus..";
  private static final String STARTUP = "io.threadwire.startup..";
  private static final String TESTKIT = "io.threadwire.testkit..";
  private static final String MICROMETER = "io.threadwire.micrometer..";
  private static final String EXAMPLES = "io.threadwire.examples..";

  private static final JavaClasses ALL =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.threadwire");

  @Test
  @DisplayName("every module's main classes are on the classpath, so no rule passes vacuously")
  void everyModuleIsImported() {
    for (String pkg :
        new String[] {
          CORE_API, SPI, HUB, INMEMORY, TYRUS, STARTUP, TESTKIT, MICROMETER, EXAMPLES
        }) {
      assertThat(ALL.that(resideIn(pkg))).as(pkg).isNotEmpty();
    }
  }

  @Test
  @DisplayName("the in-memory adapter depends on no other adapter, startup, test kit or app")
  void inMemoryAdapterIsIsolated() {
    mayNotDependOn(INMEMORY, TYRUS, STARTUP, TESTKIT, EXAMPLES).check(ALL);
  }

  @Test
  @DisplayName("the Tyrus adapter depends on no other adapter, startup, test kit or app")
  void tyrusAdapterIsIsolated() {
    mayNotDependOn(TYRUS, INMEMORY, STARTUP, TESTKIT, EXAMPLES).check(ALL);
  }

  @Test
  @DisplayName("startup depends on the port, never on an adapter, the test kit or the app")
  void startupDependsOnNoAdapter() {
    mayNotDependOn(STARTUP, INMEMORY, TYRUS, TESTKIT, EXAMPLES).check(ALL);
  }

  @Test
  @DisplayName("the test kit depends on no adapter, startup or app")
  void testKitDependsOnNoAdapter() {
    mayNotDependOn(TESTKIT, INMEMORY, TYRUS, STARTUP, EXAMPLES).check(ALL);
  }

  @Test
  @DisplayName("the Micrometer module reads core only: no adapter's internals, no startup or kit")
  void micrometerDependsOnCoreOnly() {
    mayNotDependOn(MICROMETER, INMEMORY, TYRUS, STARTUP, TESTKIT, EXAMPLES).check(ALL);
  }

  @Test
  @DisplayName("no Threadwire module depends on the Micrometer module; only the app does")
  void nothingDependsOnMicrometer() {
    for (String pkg : new String[] {CORE_API, SPI, HUB, INMEMORY, TYRUS, STARTUP, TESTKIT}) {
      mayNotDependOn(pkg, MICROMETER).check(ALL);
    }
  }

  @Test
  @DisplayName("core depends on no other module")
  void coreDependsOnNoOtherModule() {
    for (String corePackage : new String[] {CORE_API, SPI, HUB}) {
      mayNotDependOn(corePackage, INMEMORY, TYRUS, STARTUP, TESTKIT, MICROMETER, EXAMPLES)
          .check(ALL);
    }
  }

  @Test
  @DisplayName("the rule fails on a dependency that exists: the app uses the Tyrus adapter")
  void theRuleCanFail() {
    assertThatThrownBy(() -> mayNotDependOn(EXAMPLES, TYRUS).check(ALL))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("io.threadwire.tyrus");
  }

  private static ArchRule mayNotDependOn(String pkg, String... forbidden) {
    return noClasses()
        .that()
        .resideInAPackage(pkg)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(forbidden);
  }

  private static DescribedPredicate<JavaClass> resideIn(String pkg) {
    return JavaClass.Predicates.resideInAPackage(pkg);
  }
}
