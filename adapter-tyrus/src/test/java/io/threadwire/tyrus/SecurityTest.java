package io.threadwire.tyrus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("socket")
@DisplayName("Handshake authentication, origin allow-list and thread access policy")
class SecurityTest {

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private TyrusThreadMessaging server(TyrusSettings settings) {
    TyrusThreadMessaging m =
        TyrusThreadMessaging.builder(settings)
            .authenticator(
                HandshakeAuthenticator.bearerTokens(
                    token ->
                        token.startsWith("token-")
                            ? Optional.of(UserId.of(token.substring(6)))
                            : Optional.empty()))
            .accessPolicy((user, thread) -> thread.value().startsWith(user.value() + "."))
            .build();
    m.start();
    open.add(m);
    return m;
  }

  private TestClient connect(URI uri, Map<String, String> headers) {
    TestClient c = TestClient.connect(uri, headers);
    open.add(c);
    return c;
  }

  private static int status(Throwable failure) {
    assertThat(failure).isInstanceOf(WebSocketHandshakeException.class);
    return ((WebSocketHandshakeException) failure).getResponse().statusCode();
  }

  @Test
  @DisplayName("a valid bearer token in the header authenticates the connection as its user")
  void tokenInHeader() {
    TyrusThreadMessaging m = server(TyrusSettings.builder().port(0).build());
    TestClient c = connect(m.uri(), Map.of("Authorization", "Bearer token-ada"));
    JsonNode welcome = c.await(f -> "welcome".equals(f.path("type").asText()));
    assertThat(welcome.path("user").asText()).isEqualTo("ada");
  }

  @Test
  @DisplayName("a token in the query parameter works when there is no header")
  void tokenInQuery() {
    TyrusThreadMessaging m = server(TyrusSettings.builder().port(0).build());
    TestClient c = connect(URI.create(m.uri() + "?access_token=token-bob"), Map.of());
    assertThat(c.await(f -> f.has("user")).path("user").asText()).isEqualTo("bob");
  }

  @Test
  @DisplayName("the Bearer prefix on the token header is optional and matched in any case")
  void bearerPrefixOptional() {
    TyrusThreadMessaging m = server(TyrusSettings.builder().port(0).build());
    assertThat(user(m.uri(), Map.of("Authorization", "token-ada"))).isEqualTo("ada");
    assertThat(user(m.uri(), Map.of("Authorization", "bearer token-bob"))).isEqualTo("bob");
    assertThat(user(m.uri(), Map.of("Authorization", "BEARER   token-cy"))).isEqualTo("cy");
  }

  @Test
  @DisplayName("a renamed token header is read, first, and the default header no longer is")
  void renamedTokenHeader() {
    TyrusThreadMessaging m =
        server(TyrusSettings.builder().port(0).tokenHeader("X-Api-Token").build());
    assertThat(user(m.uri(), Map.of("X-Api-Token", "Bearer token-ada"))).isEqualTo("ada");
    assertThat(user(m.uri(), Map.of("x-api-token", "token-ada")))
        .as("header names match in any case")
        .isEqualTo("ada");
    assertThat(
            user(
                URI.create(m.uri() + "?access_token=token-bob"),
                Map.of("X-Api-Token", "token-ada")))
        .as("the header wins over the query parameter")
        .isEqualTo("ada");
    assertThat(
            status(TestClient.connectFailure(m.uri(), Map.of("Authorization", "Bearer token-ada"))))
        .isEqualTo(403);
  }

  @Test
  @DisplayName("a renamed token query parameter is read, and the default parameter no longer is")
  void renamedTokenQueryParameter() {
    TyrusThreadMessaging m =
        server(TyrusSettings.builder().port(0).tokenQueryParameter("t").build());
    assertThat(user(URI.create(m.uri() + "?t=token-bob"), Map.of())).isEqualTo("bob");
    assertThat(
            status(
                TestClient.connectFailure(
                    URI.create(m.uri() + "?access_token=token-bob"), Map.of())))
        .isEqualTo(403);
  }

  @Test
  @DisplayName("token-header and token-query-parameter from the configuration rename both")
  void renamedFromConfig() {
    TyrusSettings settings =
        TyrusConfig.tyrusSettings(
            ConfigFactory.parseString(
                    """
                    threadwire.tyrus { port = 0, token-header = "X-Api-Token"
                      token-query-parameter = "t" }
                    """)
                .withFallback(ConfigFactory.defaultReference())
                .resolve());
    TyrusThreadMessaging m = server(settings);
    assertThat(user(m.uri(), Map.of("X-Api-Token", "Bearer token-ada"))).isEqualTo("ada");
    assertThat(user(URI.create(m.uri() + "?t=token-bob"), Map.of())).isEqualTo("bob");
    assertThat(
            status(TestClient.connectFailure(m.uri(), Map.of("Authorization", "Bearer token-ada"))))
        .isEqualTo(403);
  }

  @Test
  @DisplayName("concurrent handshakes each get their own identity, never another's")
  void concurrentHandshakesKeepTheirIdentity() throws Exception {
    TyrusThreadMessaging m = server(TyrusSettings.builder().port(0).build());
    int clients = 40;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<String>> users = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        String name = "u" + i;
        users.add(
            pool.submit(() -> user(m.uri(), Map.of("Authorization", "Bearer token-" + name))));
      }
      for (int i = 0; i < clients; i++) {
        assertThat(users.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("u" + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Connects, returns the user of the welcome frame and closes. */
  private static String user(URI uri, Map<String, String> headers) {
    try (TestClient c = TestClient.connect(uri, headers)) {
      return c.await(f -> "welcome".equals(f.path("type").asText())).path("user").asText();
    }
  }

  @Test
  @DisplayName("a handshake without a token or with a bad one is refused with HTTP 403")
  void rejected() {
    TyrusThreadMessaging m = server(TyrusSettings.builder().port(0).build());
    assertThat(status(TestClient.connectFailure(m.uri(), Map.of()))).isEqualTo(403);
    assertThat(status(TestClient.connectFailure(m.uri(), Map.of("Authorization", "Bearer nope"))))
        .isEqualTo(403);
    assertThat(m.hub().stats().connections()).isZero();
  }

  @Test
  @DisplayName("an authenticator that throws refuses the handshake and the server goes on")
  void authenticatorThrows() {
    TyrusThreadMessaging m =
        TyrusThreadMessaging.builder(TyrusSettings.builder().port(0).build())
            .authenticator(
                h -> {
                  throw new IllegalStateException("identity provider down");
                })
            .build();
    m.start();
    open.add(m);
    assertThat(status(TestClient.connectFailure(m.uri(), Map.of()))).isEqualTo(403);
  }

  @Test
  @DisplayName(
      "an access policy that throws refuses the join as forbidden_thread; the connection goes on")
  void accessPolicyThrows() {
    TyrusThreadMessaging m =
        TyrusThreadMessaging.builder(TyrusSettings.builder().port(0).build())
            .accessPolicy(
                (user, thread) -> {
                  throw new IllegalStateException("acl service down");
                })
            .build();
    m.start();
    open.add(m);
    TestClient c = connect(m.uri(), Map.of());
    JsonNode refused = DeliveryTest.join(c, ThreadId.of("room-1"));
    assertThat(refused.path("code").asText()).isEqualTo("forbidden_thread");
    assertThat(refused.path("reason").asText()).doesNotContain("acl service down");
    assertThat(m.connectionCount(ThreadId.of("room-1"))).isZero();
    assertThat(c.awaitRef(c.send("ping")).path("type").asText()).isEqualTo("pong");
  }

  @Test
  @DisplayName("an origin outside the allow-list is refused with 403; listed or absent is fine")
  void origins() {
    TyrusThreadMessaging m =
        server(
            TyrusSettings.builder().port(0).allowedOrigins(List.of("https://app.example")).build());
    Map<String, String> auth = Map.of("Authorization", "Bearer token-ada");
    Map<String, String> evil = new java.util.HashMap<>(auth);
    evil.put("Origin", "https://evil.example");
    assertThat(status(TestClient.connectFailure(m.uri(), evil))).isEqualTo(403);
    Map<String, String> good = new java.util.HashMap<>(auth);
    good.put("Origin", "https://app.example");
    assertThat(TestClient.connectFailure(m.uri(), good)).isNull();
    assertThat(TestClient.connectFailure(m.uri(), auth)).isNull();
  }

  @Test
  @DisplayName("by default a cross-origin browser handshake is refused with 403; no Origin is fine")
  void defaultOriginsRefuseBrowsers() {
    TyrusThreadMessaging m = server(TyrusSettings.builder().port(0).build());
    Map<String, String> auth = Map.of("Authorization", "Bearer token-ada");
    Map<String, String> page = new java.util.HashMap<>(auth);
    page.put("Origin", "https://evil.example");
    assertThat(status(TestClient.connectFailure(m.uri(), page))).isEqualTo(403);
    page.put("Origin", "http://127.0.0.1:" + m.boundPort());
    assertThat(status(TestClient.connectFailure(m.uri(), page))).isEqualTo(403);
    assertThat(TestClient.connectFailure(m.uri(), auth)).isNull();
  }

  @Test
  @DisplayName("the default port is not 8080, in the settings and in reference.conf")
  void defaultPort() {
    assertThat(TyrusSettings.defaults().port()).isEqualTo(8431);
    assertThat(TyrusSettings.defaults().allowedOrigins()).isEmpty();
    TyrusSettings read = TyrusConfig.tyrusSettings(ConfigFactory.defaultReference());
    assertThat(read.port()).isEqualTo(8431);
    assertThat(read.allowedOrigins()).isEmpty();
  }

  @Test
  @DisplayName("a server on the allow-all authenticator warns at start; one with its own does not")
  void allowAllWarns() {
    TyrusThreadMessaging open =
        TyrusThreadMessaging.create(TyrusSettings.builder().port(0).build());
    this.open.add(open);
    assertThat(open.securityWarning())
        .hasValueSatisfying(w -> assertThat(w).contains("allowAll()", "127.0.0.1"));
    assertThat(server(TyrusSettings.builder().port(0).build()).securityWarning()).isEmpty();
  }

  @Test
  @DisplayName("the access policy decides which threads a user may join")
  void accessPolicy() {
    TyrusThreadMessaging m = server(TyrusSettings.builder().port(0).build());
    TestClient ada = connect(m.uri(), Map.of("Authorization", "Bearer token-ada"));
    assertThat(DeliveryTest.join(ada, ThreadId.of("ada.inbox")).path("type").asText())
        .isEqualTo("joined");
    JsonNode refused = DeliveryTest.join(ada, ThreadId.of("bob.inbox"));
    assertThat(refused.path("code").asText()).isEqualTo("forbidden_thread");
    assertThat(m.connectionCount(ThreadId.of("bob.inbox"))).isZero();
  }
}
