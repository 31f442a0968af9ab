package io.threadwire;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Bad identities and message ids are refused with a message that names the bad value. */
class IdentityValidationTest {

  @Test
  void emptyValuesAreNamed() {
    assertThatThrownBy(() -> ConnectionId.of(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid connection id \"\" (length 0): must be 1-256 characters");
    assertThatThrownBy(() -> UserId.of(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid user id \"\" (length 0): must be 1-256 characters");
    assertThatThrownBy(() -> Message.builder("x").id(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid message id \"\" (length 0): must be 1-128 characters");
    assertThatThrownBy(() -> Message.builder("x").idempotencyKey(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid idempotency key \"\" (length 0): must be 1-256 characters");
  }

  @Test
  void tooLongValuesAreNamedButCut() {
    String user = "u".repeat(300);
    assertThatThrownBy(() -> UserId.of(user))
        .hasMessageStartingWith("invalid user id \"" + "u".repeat(160) + "...\" (length 300)")
        .hasMessageEndingWith(": must be 1-256 characters");
    String id = "m".repeat(129);
    assertThatThrownBy(() -> Message.builder("x").id(id))
        .hasMessageStartingWith("invalid message id \"" + "m".repeat(129) + "\" (length 129)");
    assertThatThrownBy(() -> ConnectionId.of("c".repeat(257))).hasMessageContaining("(length 257)");
    assertThatThrownBy(() -> Message.builder("x").idempotencyKey("k".repeat(257)))
        .hasMessageContaining("(length 257)");
  }
}
