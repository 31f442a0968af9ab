package io.threadwire.startup;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ReadinessReport")
class ReadinessReportTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static CheckReport line(String name, CheckReport.Status status, String reason) {
    return new CheckReport(name, 0, status, 1, Duration.ofMillis(3), reason, Optional.empty());
  }

  @Test
  @DisplayName("renders valid JSON with every field of every check")
  void json() {
    ReadinessReport report =
        ReadinessReport.of(
            T0,
            Duration.ofMillis(42),
            List.of(
                new CheckReport(
                    "messaging",
                    -1000,
                    CheckReport.Status.READY,
                    1,
                    Duration.ofMillis(2),
                    "messaging accepted the probe (nobody joins the probe thread; client connections elsewhere are not counted)",
                    Optional.empty()),
                new CheckReport(
                    "database",
                    0,
                    CheckReport.Status.FAILED,
                    2,
                    Duration.ofMillis(40),
                    "refused",
                    Optional.of(new IOException("connection refused")))));

    Config json = JsonAssert.parse(report.toJson());

    assertThat(json.getString("status")).isEqualTo("FAILED");
    assertThat(json.getBoolean("ready")).isFalse();
    assertThat(json.getString("startedAt")).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(json.getLong("durationMs")).isEqualTo(42);
    assertThat(json.getString("firstFailure")).isEqualTo("database");
    assertThat(json.getString("summary")).isEqualTo(report.summary());
    List<? extends Config> checks = json.getConfigList("checks");
    assertThat(checks).hasSize(2);
    assertThat(checks.get(0).getString("name")).isEqualTo("messaging");
    assertThat(checks.get(0).getInt("order")).isEqualTo(-1000);
    assertThat(checks.get(0).getString("status")).isEqualTo("READY");
    assertThat(checks.get(0).getInt("attempts")).isEqualTo(1);
    assertThat(checks.get(0).getLong("durationMs")).isEqualTo(2);
    assertThat(checks.get(0).getString("reason")).contains("nobody joins the probe thread");
    assertThat(checks.get(0).hasPath("cause")).isFalse();
    assertThat(checks.get(1).getString("cause"))
        .isEqualTo("java.io.IOException: connection refused");
  }

  @Test
  @DisplayName("escapes quotes, backslashes, control and special characters in strings")
  void escaping() {
    String nasty =
        "say \"hi\" \\ path C:\\x\nnext\tline\r\b\f \u0001 \u001f \u2028\u2029 é 😀 lone \ud800 end";
    ReadinessReport report =
        ReadinessReport.of(
            T0, Duration.ZERO, List.of(line("we\"ird\n", CheckReport.Status.READY, nasty)));

    String text = report.toJson();
    Config json = JsonAssert.parse(text);

    assertThat(json.getConfigList("checks").get(0).getString("reason")).isEqualTo(nasty);
    assertThat(json.getConfigList("checks").get(0).getString("name")).isEqualTo("we\"ird\n");
    assertThat(text)
        .contains("say \\\"hi\\\" \\\\ path C:\\\\x\\nnext\\tline\\r\\b\\f \\u0001 \\u001f")
        .contains("\\u2028\\u2029 é 😀 lone \\ud800 end")
        .doesNotContain("\n");
  }

  @Test
  @DisplayName("an empty report is ready and says there was nothing to check")
  void empty() {
    ReadinessReport report = ReadinessReport.of(T0, Duration.ZERO, List.of());

    assertThat(report.isReady()).isTrue();
    assertThat(report.firstFailure()).isEmpty();
    assertThat(report.summary())
        .isEqualTo("READY in 0ms: no readiness checks configured, nothing to wait for");
    assertThat(JsonAssert.parse(report.toJson()).getConfigList("checks")).isEmpty();
  }

  @Test
  @DisplayName("the overall status is the worst one; the first failure is the first in run order")
  void overallStatus() {
    ReadinessReport notReady =
        ReadinessReport.of(
            T0,
            Duration.ZERO,
            List.of(
                line("a", CheckReport.Status.READY, "ok"),
                line("b", CheckReport.Status.NOT_READY, "later"),
                line("c", CheckReport.Status.FAILED, "broken")));

    assertThat(notReady.status()).isEqualTo(CheckResult.Status.FAILED);
    assertThat(notReady.firstFailure().orElseThrow().name()).isEqualTo("b");
    assertThat(notReady.summary())
        .isEqualTo(
            "FAILED after 0ms: check 'b' is NOT_READY: later (1 READY, 1 NOT_READY, 1 FAILED)");
  }
}
