package io.threadwire.spi;

/** The listener that hears nothing: {@link MessagingListener#none()}. */
final class NoListener implements MessagingListener {

  static final NoListener INSTANCE = new NoListener();

  private NoListener() {}
}
