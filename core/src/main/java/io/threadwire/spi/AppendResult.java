package io.threadwire.spi;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link ThreadLog}'s answer to one append or publish. Immutable. A failure (the log could not be
 * reached or could not tell what happened) is not a result: the stage completes exceptionally.
 */
public final class AppendResult {

  /** How an append ended. */
  public enum Status {
    /** Stored at {@link #epoch()}/{@link #offset()} and handed to every subscriber. */
    APPENDED,
    /** A transient message handed to every subscriber, after stored {@link #offset()}. */
    PUBLISHED,
    /**
     * The idempotency key was seen within the window: nothing was stored; {@link #epoch()}/{@link
     * #offset()} say where the first append with that key was stored.
     */
    DUPLICATE,
    /** The history is full and its overflow policy is to reject; nothing was stored. */
    REJECTED,
    /** The message is larger than the history's byte bound; nothing was stored. */
    TOO_LARGE,
    /** The thread's history policy is disabled: nothing is stored. */
    NOT_STORED
  }

  private final Status status;
  private final long epoch;
  private final long offset;
  private final String detail;
  private final int remoteNodes;
  private final CompletionStage<DeliveryReport> remoteReports; // null: the log reports no nodes

  private AppendResult(Status status, long epoch, long offset, String detail) {
    this(status, epoch, offset, detail, 0, null);
  }

  private AppendResult(
      Status status,
      long epoch,
      long offset,
      String detail,
      int remoteNodes,
      CompletionStage<DeliveryReport> remoteReports) {
    this.status = status;
    this.epoch = epoch;
    this.offset = offset;
    this.detail = detail;
    this.remoteNodes = remoteNodes;
    this.remoteReports = remoteReports;
  }

  /**
   * Returns this answer of a log that {@linkplain ThreadLog#reportsDeliveries() reports
   * deliveries}, with how many other nodes received the entry and the stage of their reports.
   *
   * @param nodes other nodes that received the entry (0 if none did)
   * @param reports completes, within the log's own deadline, with the sum of the reports that
   *     arrived in time (fewer nodes than {@code nodes} if some did not answer); never
   *     exceptionally
   * @return this answer with the remote part
   * @throws IllegalArgumentException if this is not {@code APPENDED} or {@code PUBLISHED}, or
   *     {@code nodes} is negative
   */
  public AppendResult withRemote(int nodes, CompletionStage<DeliveryReport> reports) {
    if (status != Status.APPENDED && status != Status.PUBLISHED) {
      throw new IllegalArgumentException(status + " reached no node");
    }
    if (nodes < 0) {
      throw new IllegalArgumentException("nodes must be >= 0, got " + nodes);
    }
    return new AppendResult(
        status, epoch, offset, detail, nodes, Objects.requireNonNull(reports, "reports"));
  }

  /**
   * Returns true if the log told how many other nodes received the entry ({@link #withRemote}).
   *
   * @return true if the log told how many other nodes received the entry
   */
  public boolean hasRemote() {
    return remoteReports != null;
  }

  /**
   * Returns how many other nodes received the entry; 0 without a remote part.
   *
   * @return how many other nodes received the entry; 0 without a remote part
   */
  public int remoteNodes() {
    return remoteNodes;
  }

  /**
   * Returns the stage of the other nodes' reports; completed with {@link DeliveryReport#none()}
   * without a remote part.
   *
   * @return the stage of the other nodes' reports
   */
  public CompletionStage<DeliveryReport> remoteReports() {
    return remoteReports != null
        ? remoteReports
        : CompletableFuture.completedFuture(DeliveryReport.none());
  }

  /**
   * Returns "stored at {@code epoch}/{@code offset}"; {@code offset} is at least 1.
   *
   * @param epoch the epoch
   * @param offset the offset
   * @return "stored at {@code epoch}/{@code offset}"; {@code offset} is at least 1
   */
  public static AppendResult appended(long epoch, long offset) {
    if (offset < 1) {
      throw new IllegalArgumentException("offset must be >= 1, got " + offset);
    }
    return new AppendResult(Status.APPENDED, epoch, offset, "");
  }

  /**
   * Returns "published transient after stored {@code after}".
   *
   * @param after the after
   * @param epoch the epoch
   * @return "published transient after stored {@code after}"
   */
  public static AppendResult published(long epoch, long after) {
    return new AppendResult(Status.PUBLISHED, epoch, after, "");
  }

  /**
   * Returns "a duplicate of the append stored at {@code epoch}/{@code offset}".
   *
   * @param epoch the epoch
   * @param offset the offset
   * @return "a duplicate of the append stored at {@code epoch}/{@code offset}"
   */
  public static AppendResult duplicate(long epoch, long offset) {
    return new AppendResult(Status.DUPLICATE, epoch, offset, "");
  }

  /**
   * Returns a refusal that stored nothing.
   *
   * @param status {@link Status#REJECTED}, {@link Status#TOO_LARGE} or {@link Status#NOT_STORED}
   * @param detail what the operator should know, for example how full the history is
   * @return a refusal that stored nothing
   */
  public static AppendResult refused(Status status, String detail) {
    if (status == Status.APPENDED || status == Status.PUBLISHED || status == Status.DUPLICATE) {
      throw new IllegalArgumentException(status + " is not a refusal");
    }
    return new AppendResult(status, 0, 0, Objects.requireNonNull(detail, "detail"));
  }

  /**
   * Returns how the append ended.
   *
   * @return how the append ended
   */
  public Status status() {
    return status;
  }

  /**
   * Returns the epoch of the offset; 0 for a refusal.
   *
   * @return the epoch of the offset; 0 for a refusal
   */
  public long epoch() {
    return epoch;
  }

  /**
   * Returns the stored offset: where it was stored ({@code APPENDED}), where the first one was
   * ({@code DUPLICATE}), or the stored offset a transient message followed ({@code PUBLISHED}); 0
   * for a refusal.
   *
   * @return the stored offset: where it was stored ({@code APPENDED}), where the first one was
   *     ({@code DUPLICATE}), or the stored offset a transient message followed ({@code PUBLISHED});
   *     0 for a refusal
   */
  public long offset() {
    return offset;
  }

  /**
   * Returns the refusal's detail; empty otherwise.
   *
   * @return the refusal's detail; empty otherwise
   */
  public String detail() {
    return detail;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AppendResult r
        && status == r.status
        && epoch == r.epoch
        && offset == r.offset
        && remoteNodes == r.remoteNodes
        && detail.equals(r.detail);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, epoch, offset, detail);
  }

  @Override
  public String toString() {
    return "AppendResult{"
        + status
        + ", epoch="
        + epoch
        + ", offset="
        + offset
        + (detail.isEmpty() ? "" : ", " + detail)
        + (remoteReports == null ? "" : ", remote nodes=" + remoteNodes)
        + "}";
  }
}
