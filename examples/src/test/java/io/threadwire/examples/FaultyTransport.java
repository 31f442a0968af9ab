package io.threadwire.examples;

import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.SendOutcome;
import io.threadwire.ThreadId;
import io.threadwire.ThreadMessaging;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A transport whose port can be switched to answer every send with a transport failure. */
final class FaultyTransport implements LiveTransport {

  private final LiveTransport delegate;
  private final Messaging messaging;
  private volatile boolean failing;

  FaultyTransport(LiveTransport delegate, boolean failing) {
    this.delegate = delegate;
    this.messaging = new Messaging(delegate.messaging());
    this.failing = failing;
  }

  void setFailing(boolean failing) {
    this.failing = failing;
  }

  @Override
  public ThreadMessaging messaging() {
    return messaging;
  }

  @Override
  public void start() {
    delegate.start();
  }

  @Override
  public ClientEndpoint clientEndpoint() {
    return delegate.clientEndpoint();
  }

  @Override
  public Optional<EventStream> eventStream() {
    return delegate.eventStream();
  }

  @Override
  public void close() {
    delegate.close();
  }

  private final class Messaging implements ThreadMessaging {
    private final ThreadMessaging real;

    Messaging(ThreadMessaging real) {
      this.real = real;
    }

    @Override
    public CompletionStage<SendOutcome> send(
        ThreadId thread, Message message, SendOptions options) {
      if (failing) {
        return CompletableFuture.completedFuture(
            SendOutcome.error(
                SendOutcome.ErrorKind.TRANSPORT_FAILURE,
                "injected: the broker is unreachable",
                Optional.empty()));
      }
      return real.send(thread, message, options);
    }

    @Override
    public int connectionCount(ThreadId thread) {
      return real.connectionCount(thread);
    }

    @Override
    public int userCount(ThreadId thread) {
      return real.userCount(thread);
    }

    @Override
    public State state() {
      return real.state();
    }

    @Override
    public void start() {
      real.start();
    }

    @Override
    public void close() {
      real.close();
    }
  }
}
