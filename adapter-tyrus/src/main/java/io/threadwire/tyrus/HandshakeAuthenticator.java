package io.threadwire.tyrus;

import io.threadwire.UserId;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides who a connecting client is, at the WebSocket handshake, before any message flows. The
 * host application implements it; a rejected handshake is answered with HTTP 403 and never becomes
 * a connection.
 *
 * <p><b>The default, {@link #allowAll()}, accepts every client as {@link UserId#anonymous()}.</b>
 * Combined with the default {@link ThreadAccessPolicy#allowAll()}, anyone who can reach the port
 * can join any thread and read its messages. Production hosts must supply their own.
 *
 * <p>Called on a server I/O thread for every handshake: it must answer quickly and must not block
 * on remote calls for long. An exception it throws rejects the handshake and is logged, never shown
 * to the client.
 */
@FunctionalInterface
public interface HandshakeAuthenticator {

  /**
   * {@return the user behind {@code handshake}, or empty to reject it}
   *
   * @param handshake the request: headers, query parameters and the access token
   */
  Optional<UserId> authenticate(Handshake handshake);

  /**
   * {@return the authenticator that accepts everyone as {@link UserId#anonymous()}} A server
   * started with it logs a WARN saying so.
   */
  static HandshakeAuthenticator allowAll() {
    return AllowAllAuthenticator.INSTANCE;
  }

  /**
   * {@return an authenticator that resolves the handshake's {@link Handshake#token() token} with
   * {@code resolver} and rejects a handshake without one}
   *
   * @param resolver maps a token to its user, or to empty if the token is not valid
   */
  static HandshakeAuthenticator bearerTokens(Function<String, Optional<UserId>> resolver) {
    Objects.requireNonNull(resolver, "resolver");
    return handshake -> handshake.token().flatMap(resolver);
  }
}
