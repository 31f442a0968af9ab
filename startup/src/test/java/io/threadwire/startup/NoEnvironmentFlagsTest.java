package io.threadwire.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A build-time check that no library code anywhere in the reactor switches behaviour on the
 * environment: the original outage hid behind a {@code TESTING=1} flag.
 */
@DisplayName("No library code reads the environment")
class NoEnvironmentFlagsTest {

  /** Ways Java code reads environment variables or system properties, and the flag itself. */
  static final Pattern FORBIDDEN =
      Pattern.compile(
          "System\\s*\\.\\s*(getenv|getProperty|getProperties|setProperty)"
              + "|(Boolean|Integer|Long)\\s*\\.\\s*(getBoolean|getInteger|getLong)\\s*\\("
              + "|ConfigFactory\\s*\\.\\s*(load|defaultReference|systemEnvironment|systemProperties)"
              + "|\\bTESTING\\b");

  /** Environment substitutions in HOCON ({@code ${?TESTING}}) and the flag itself. */
  static final Pattern FORBIDDEN_IN_CONF =
      Pattern.compile("\\$\\{\\??\\s*[A-Z_]+\\}|\\bTESTING\\b");

  @Test
  @DisplayName("no main source or resource of any module reads an environment flag")
  void noMainSourceReadsTheEnvironment() throws IOException {
    Path root = reactorRoot();
    List<Path> sources = new ArrayList<>();
    List<Path> resources = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module : modules.filter(m -> Files.isRegularFile(m.resolve("pom.xml"))).toList()) {
        sources.addAll(files(module.resolve("src/main/java"), ".java"));
        resources.addAll(files(module.resolve("src/main/resources"), ""));
      }
    }

    List<String> offenders = new ArrayList<>();
    for (Path file : sources) {
      offenders.addAll(matches(root, file, FORBIDDEN));
    }
    for (Path file : resources) {
      offenders.addAll(matches(root, file, FORBIDDEN_IN_CONF));
    }

    // Guard against a vacuous pass: the scan must have seen this module and core.
    assertThat(sources)
        .anySatisfy(p -> assertThat(p).endsWith(Path.of("startup/Startup.java")))
        .anySatisfy(p -> assertThat(p).endsWith(Path.of("threadwire/ThreadMessaging.java")));
    assertThat(resources).anySatisfy(p -> assertThat(p).endsWith(Path.of("reference.conf")));
    assertThat(offenders).as("main code that reads the environment").isEmpty();
  }

  @Test
  @DisplayName("the scan would catch the original flag")
  void scanCatchesTheFlag() {
    assertThat(FORBIDDEN.matcher("if (\"1\".equals(System.getenv(\"TESTING\"))) {").find())
        .isTrue();
    assertThat(FORBIDDEN.matcher("Boolean.getBoolean(\"threadwire.testing\")").find()).isTrue();
    assertThat(FORBIDDEN.matcher("ConfigFactory.load()").find()).isTrue();
    assertThat(FORBIDDEN_IN_CONF.matcher("deadline = ${?STARTUP_DEADLINE}").find()).isTrue();
    assertThat(FORBIDDEN.matcher("Duration deadline = settings.deadline();").find()).isFalse();
    assertThat(
            matches(Path.of("."), Path.of("x"), FORBIDDEN, List.of("// System.getenv is banned")))
        .isEmpty();
  }

  static Path reactorRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path pom = dir.resolve("pom.xml");
      if (Files.isRegularFile(pom) && read(pom).contains("<module>startup</module>")) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no reactor root above " + Path.of("").toAbsolutePath());
  }

  private static List<Path> files(Path dir, String suffix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix)).toList();
    }
  }

  private static List<String> matches(Path root, Path file, Pattern pattern) {
    return matches(root, file, pattern, read(file).lines().toList());
  }

  /** Returns the lines of {@code file} matching {@code pattern}, comment lines excepted. */
  static List<String> matches(Path root, Path file, Pattern pattern, List<String> lines) {
    List<String> found = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      boolean comment = line.startsWith("//") || line.startsWith("*") || line.startsWith("/*");
      boolean hoconComment = line.startsWith("#");
      if (!comment && !hoconComment && pattern.matcher(line).find()) {
        found.add(root.relativize(file) + ":" + (i + 1) + ": " + line);
      }
    }
    return found;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
