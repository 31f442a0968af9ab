package io.threadwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ThreadIdTest {

  @Property
  void acceptsEveryStringOfTheAlphabet(
      @ForAll
          @StringLength(min = 1, max = 128)
          @CharRange(from = 'a', to = 'z')
          @CharRange(from = 'A', to = 'Z')
          @CharRange(from = '0', to = '9')
          @Chars({'.', '_', ':', '-'})
          String value) {
    assertThat(ThreadId.of(value).value()).isEqualTo(value);
    assertThat(ThreadId.isValid(value)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "a b", "room/1", "ünicode", "tab\t", "semi;colon", "\"quoted\""})
  void rejectsWithAMessageNamingValueAndRule(String bad) {
    assertThat(ThreadId.isValid(bad)).isFalse();
    assertThatThrownBy(() -> ThreadId.of(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + bad + "\"")
        .hasMessageContaining(ThreadId.RULE);
  }

  @Test
  void rejectsTooLong() {
    String value = "a".repeat(129);
    assertThatThrownBy(() -> ThreadId.of(value))
        .hasMessageContaining("length 129")
        .hasMessageContaining("1-128 characters");
    assertThat(ThreadId.of("a".repeat(128)).value()).hasSize(128);
  }

  @Test
  void rejectsNull() {
    assertThat(ThreadId.isValid(null)).isFalse();
    assertThatThrownBy(() -> ThreadId.of(null)).isInstanceOf(NullPointerException.class);
  }
}
