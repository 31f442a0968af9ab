package io.threadwire.examples;

import org.junit.jupiter.api.DisplayName;

@DisplayName("The demo page in headless Chromium, over the in-memory event stream")
class InMemoryDemoPageBrowserTest extends DemoPageBrowserTest {

  InMemoryDemoPageBrowserTest() {
    super("inmemory");
  }
}
