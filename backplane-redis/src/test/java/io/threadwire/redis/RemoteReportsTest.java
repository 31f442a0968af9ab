package io.threadwire.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.threadwire.spi.DeliveryReport;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The sender's side of delivery reports, without Redis: what a report message may carry. */
class RemoteReportsTest {

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final RemoteReports reports = new RemoteReports(timer, 60_000);

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  @DisplayName("one message carrying several reports, one a line, completes every send it names")
  void severalReportsInOneMessage() {
    CompletableFuture<DeliveryReport> first = reports.open(7).expect(1);
    CompletableFuture<DeliveryReport> second = reports.open(8).expect(1);
    CompletableFuture<DeliveryReport> third = reports.open(9).expect(1);

    reports.received(
        ascii(
            RemoteReports.line(7, DeliveryReport.of(3, 0, 0))
                + "\n"
                + RemoteReports.line(8, DeliveryReport.of(1, 1, 1))
                + "\n"
                + RemoteReports.line(9, DeliveryReport.of(0, 0, 2))));

    assertThat(first).isCompletedWithValue(DeliveryReport.of(3, 0, 0));
    assertThat(second).isCompletedWithValue(DeliveryReport.of(1, 1, 1));
    assertThat(third).isCompletedWithValue(DeliveryReport.of(0, 0, 2));
    assertThat(reports.open()).isZero();
  }

  @Test
  @DisplayName("a single report, the format of every earlier version, is still read")
  void singleReport() {
    CompletableFuture<DeliveryReport> f = reports.open(5).expect(1);

    reports.received(ascii("5 2 0 0"));

    assertThat(f).isCompletedWithValue(DeliveryReport.of(2, 0, 0));
  }

  @Test
  @DisplayName("lines that are not reports are dropped; the reports beside them still count")
  void badLinesDropped() {
    CompletableFuture<DeliveryReport> f = reports.open(11).expect(2);

    reports.received(ascii("11 1 0 0\nnonsense\n\n12 x 0 0\n11 4 0 0 9\n11 2 0 0"));

    assertThat(f).isCompletedWithValue(DeliveryReport.of(1, 0, 0).plus(DeliveryReport.of(2, 0, 0)));
  }
}
