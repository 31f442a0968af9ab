package io.threadwire.examples;

import static io.threadwire.examples.TestApps.connections;
import static io.threadwire.examples.TestApps.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.inject.util.Modules;
import io.threadwire.examples.TestApps.Response;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Opens the demo page in headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * installed by {@code .ci/install-browser}) and checks what a person would see: messages posted
 * through the API appear live with their offsets, and a reconnect recovers what was missed. One
 * subclass per transport: the page speaks WebSocket to Tyrus and server-sent events to the
 * in-memory hub.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DemoPageBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Duration PATIENCE = Duration.ofSeconds(20);

  private final String transport;
  private ExampleApp app;
  private Path profile;
  WebDriver browser;

  /**
   * @param transport the transport the app runs with: {@code tyrus} or {@code inmemory}
   */
  DemoPageBrowserTest(String transport) {
    this.transport = transport;
  }

  @BeforeAll
  void start() throws IOException {
    requireBrowser();
    app = TestApps.start(Map.of("threadwire.examples.transport", transport), Modules.EMPTY_MODULE);
    profile = Files.createTempDirectory("threadwire-chromium-");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + profile);
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  void stop() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (app != null) {
      app.close();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Fails in CI, and skips locally, with the way to install the browser. */
  private static void requireBrowser() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    String message =
        "the browser test needs Debian's headless Chromium: "
            + CHROMIUM
            + " and "
            + CHROMEDRIVER
            + " are missing. Install them with .ci/install-browser"
            + " (apt-get install -y chromium chromium-driver)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail(message);
    }
    Assumptions.abort(message);
  }

  @Test
  @DisplayName("a message posted through the API appears on the page live, with its offset")
  void postedMessageAppearsLive() {
    open("b-live");
    Response r =
        post(app, "/api/threads/b-live/messages", "{\"type\":\"chat\",\"text\":\"hi page\"}");
    assertThat(r.text("status")).isEqualTo("DELIVERED");
    assertThat(r.json().path("deliveredCount").asInt()).isEqualTo(1);
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(messages())
                    .extracting(li -> li.getDomAttribute("data-offset") + " " + li.getText())
                    .containsExactly("1 #1 chat hi page"));
    assertThat(text("last-offset")).isEqualTo("1");
  }

  @Test
  @DisplayName("messages queued before the page opened are replayed when it joins")
  void queuedBeforeOpenAreReplayed() {
    Response r = post(app, "/api/threads/b-queued/messages", "{\"text\":\"while nobody watched\"}");
    assertThat(r.text("status")).isEqualTo("QUEUED");
    open("b-queued");
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(messages())
                    .extracting(WebElement::getText)
                    .containsExactly("#1 message while nobody watched"));
    assertThat(text("joined")).contains("replayed 1").contains("recovered true");
  }

  @Test
  @DisplayName("an agent run started from the page streams its five events in order")
  void agentRunFromThePage() {
    open("b-agent");
    browser.findElement(By.id("agent-run")).click();
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(messages())
                    .extracting(li -> li.getDomAttribute("data-type"))
                    .containsExactlyElementsOf(AgentRuns.EVENTS));
    assertThat(text("outcome")).contains("HTTP 202").contains("agent_started");
  }

  @Test
  @DisplayName("after disconnect, messages sent meanwhile are QUEUED and recovered on reconnect")
  void reconnectRecovers() {
    open("b-recover");
    post(app, "/api/threads/b-recover/messages", "{\"text\":\"before\"}");
    await().atMost(PATIENCE).until(() -> messages().size() == 1);

    browser.findElement(By.id("disconnect")).click();
    await().atMost(PATIENCE).until(() -> connections(app, "b-recover") == 0);
    assertThat(text("status")).isEqualTo("disconnected");
    Response missed = post(app, "/api/threads/b-recover/messages", "{\"text\":\"while away\"}");
    assertThat(missed.text("status")).isEqualTo("QUEUED");

    browser.findElement(By.id("reconnect")).click();
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(messages())
                    .extracting(WebElement::getText)
                    .containsExactly("#1 message before", "#2 message while away"));
    assertThat(text("joined"))
        .contains("recovered true")
        .contains("replayed 1")
        .contains("missed 0");
    Response live = post(app, "/api/threads/b-recover/messages", "{\"text\":\"back\"}");
    assertThat(live.text("status")).isEqualTo("DELIVERED");
    await().atMost(PATIENCE).until(() -> messages().size() == 3);
  }

  /** Returns the running app (a new one after {@link #restartApp()}). */
  ExampleApp app() {
    return app;
  }

  /**
   * Stops the app and starts a new one on the same HTTP and WebSocket ports, as an operator's
   * restart does: the page stays open, and the new server's hub has new history epochs.
   */
  void restartApp() {
    int httpPort = app.pageUri().getPort();
    int wsPort = URI.create(app.liveEndpoint()).getPort();
    app.close();
    app =
        TestApps.start(
            Map.of(
                "threadwire.examples.transport", transport,
                "threadwire.examples.http.port", httpPort,
                "threadwire.tyrus.port", wsPort),
            Modules.EMPTY_MODULE);
  }

  void open(String thread) {
    browser.get(app.pageUri() + "?thread=" + thread);
    await().atMost(PATIENCE).until(() -> text("status").equals("connected"));
    await().atMost(PATIENCE).until(() -> connections(app, thread) == 1);
  }

  List<WebElement> messages() {
    return browser.findElements(By.cssSelector("#messages li"));
  }

  String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }
}
