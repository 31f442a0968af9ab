package io.threadwire.spi;

/**
 * What one or more nodes achieved for one entry: how many of their local recipients' writes were
 * confirmed, known failed, or unconfirmed when their local outcome completed, and how many nodes
 * reported. Immutable. A node's own report counts one node; {@link #plus} sums reports.
 *
 * @see ThreadLog#reportsDeliveries()
 */
public final class DeliveryReport {

  private static final DeliveryReport NONE = new DeliveryReport(0, 0, 0, 0);

  private final int delivered;
  private final int failed;
  private final int unconfirmed;
  private final int nodes;

  private DeliveryReport(int delivered, int failed, int unconfirmed, int nodes) {
    this.delivered = delivered;
    this.failed = failed;
    this.unconfirmed = unconfirmed;
    this.nodes = nodes;
  }

  /**
   * Returns one node's report.
   *
   * @param delivered local recipients whose write was confirmed
   * @param failed local recipients known not to have received the entry
   * @param unconfirmed local recipients whose write was neither confirmed nor known failed
   * @return one node's report
   * @throws IllegalArgumentException if a count is negative
   */
  public static DeliveryReport of(int delivered, int failed, int unconfirmed) {
    return new DeliveryReport(
        check(delivered, "delivered"),
        check(failed, "failed"),
        check(unconfirmed, "unconfirmed"),
        1);
  }

  /**
   * Returns the sum of no report: every count 0, no node.
   *
   * @return the empty report
   */
  public static DeliveryReport none() {
    return NONE;
  }

  private static int check(int n, String name) {
    if (n < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + n);
    }
    return n;
  }

  /**
   * Returns the sum of this report and {@code other}.
   *
   * @param other another report
   * @return the sum of this report and {@code other}
   */
  public DeliveryReport plus(DeliveryReport other) {
    return new DeliveryReport(
        delivered + other.delivered,
        failed + other.failed,
        unconfirmed + other.unconfirmed,
        nodes + other.nodes);
  }

  /**
   * Returns the recipients whose write was confirmed.
   *
   * @return the recipients whose write was confirmed
   */
  public int delivered() {
    return delivered;
  }

  /**
   * Returns the recipients known not to have received the entry.
   *
   * @return the recipients known not to have received the entry
   */
  public int failed() {
    return failed;
  }

  /**
   * Returns the recipients whose write was neither confirmed nor known failed.
   *
   * @return the recipients whose write was neither confirmed nor known failed
   */
  public int unconfirmed() {
    return unconfirmed;
  }

  /**
   * Returns how many nodes' reports this sums.
   *
   * @return how many nodes' reports this sums
   */
  public int nodes() {
    return nodes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeliveryReport r
        && delivered == r.delivered
        && failed == r.failed
        && unconfirmed == r.unconfirmed
        && nodes == r.nodes;
  }

  @Override
  public int hashCode() {
    return ((delivered * 31 + failed) * 31 + unconfirmed) * 31 + nodes;
  }

  @Override
  public String toString() {
    return "DeliveryReport{delivered="
        + delivered
        + ", failed="
        + failed
        + ", unconfirmed="
        + unconfirmed
        + ", nodes="
        + nodes
        + "}";
  }
}
