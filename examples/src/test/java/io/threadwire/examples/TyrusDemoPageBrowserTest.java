package io.threadwire.examples;

import static io.threadwire.examples.TestApps.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.threadwire.examples.TestApps.Response;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

@DisplayName("The demo page in headless Chromium, over the Tyrus WebSocket")
class TyrusDemoPageBrowserTest extends DemoPageBrowserTest {

  TyrusDemoPageBrowserTest() {
    super("tyrus");
  }

  @Test
  @DisplayName("the page loads the threadwire-client package served by the app")
  void usesThePackage() {
    open("b-package");
    assertThat(text("transport")).contains("threadwire-client");
    Response module = TestApps.get(app(), "/threadwire-client.js");
    assertThat(module.status()).isEqualTo(200);
    assertThat(module.raw().headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(module.body()).contains("export class ThreadwireClient");
  }

  @Test
  @DisplayName("after a server restart the page reconnects by itself and starts the list over")
  void restartStartsTheListOver() {
    open("b-restart");
    post(app(), "/api/threads/b-restart/messages", "{\"text\":\"before\"}");
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(messages())
                    .extracting(WebElement::getText)
                    .containsExactly("#1 message before"));

    restartApp();
    // The client reconnects with backoff and rejoins with since 1 of the old epoch: the new
    // server's history has another epoch, so it cannot recover, and says so.
    await().atMost(PATIENCE).until(() -> text("joined").contains("recovered false"));
    assertThat(text("status")).isEqualTo("connected");
    assertThat(text("notice")).contains("history epoch changed");
    assertThat(messages()).isEmpty();

    Response r = post(app(), "/api/threads/b-restart/messages", "{\"text\":\"after\"}");
    assertThat(r.text("status")).isEqualTo("DELIVERED");
    assertThat(r.json().path("offset").asLong()).isEqualTo(1);
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(messages())
                    .extracting(WebElement::getText)
                    .containsExactly("#1 message after"));
    assertThat(text("last-offset")).isEqualTo("1");
  }
}
