package io.threadwire.examples;

import org.junit.jupiter.api.DisplayName;

@DisplayName("The demo page in headless Chromium, over the Tyrus WebSocket")
class TyrusDemoPageBrowserTest extends DemoPageBrowserTest {

  TyrusDemoPageBrowserTest() {
    super("tyrus");
  }
}
