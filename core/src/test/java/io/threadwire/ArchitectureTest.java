package io.threadwire;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The rules of the hexagon, checked rather than hoped for. The rules between modules (no adapter
 * depends on another, startup on none) need every module's classes and live in the examples
 * module's {@code ModuleBoundariesTest}.
 */
class ArchitectureTest {

  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.threadwire");

  @Test
  void coreDependsOnTheJdkOnly() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "io.threadwire..")
        .because("threadwire-core must have no third-party dependency")
        .check(CORE);
  }

  @Test
  void theApiAndSpiDoNotDependOnTheHub() {
    noClasses()
        .that()
        .resideInAnyPackage("io.threadwire", "io.threadwire.spi")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.threadwire.hub..")
        .check(CORE);
  }

  @Test
  void coreReadsNoEnvironmentOrSystemProperty() {
    noClasses()
        .should()
        .callMethod(System.class, "getenv", String.class)
        .orShould()
        .callMethod(System.class, "getenv")
        .orShould()
        .callMethod(System.class, "getProperty", String.class)
        .orShould()
        .callMethod(System.class, "getProperty", String.class, String.class)
        .because("no environment flag may change behaviour")
        .check(CORE);
  }
}
