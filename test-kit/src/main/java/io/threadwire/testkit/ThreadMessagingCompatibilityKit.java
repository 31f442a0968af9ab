package io.threadwire.testkit;

import io.threadwire.hub.HubSettings;
import java.time.Clock;

/**
 * The compatibility kit every transport adapter passes. An adapter's test extends it and implements
 * {@link #open}. (Tests are added below.)
 */
public abstract class ThreadMessagingCompatibilityKit {

  /**
   * Opens the transport under test with {@code settings} and {@code clock}, starts its port and
   * returns it. Called once per test.
   */
  protected abstract KitTransport open(HubSettings settings, Clock clock);
}
