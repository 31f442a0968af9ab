package io.threadwire.tyrus;

import io.threadwire.UserId;
import java.util.Optional;

/** {@link HandshakeAuthenticator#allowAll()}: one instance, so a server can tell it is in use. */
enum AllowAllAuthenticator implements HandshakeAuthenticator {
  INSTANCE;

  @Override
  public Optional<UserId> authenticate(Handshake handshake) {
    return Optional.of(UserId.anonymous());
  }

  @Override
  public String toString() {
    return "HandshakeAuthenticator.allowAll()";
  }
}
