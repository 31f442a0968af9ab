package io.threadwire.hub;

/**
 * A snapshot of what a {@link ThreadHub} holds, for health endpoints, metrics and tests.
 *
 * @param threads threads tracked (with members, history or recent activity)
 * @param connections registered connections
 * @param memberships thread memberships over all connections
 * @param historyMessages messages retained over all threads
 * @param historyBytes bytes retained over all threads
 * @param idempotencyKeys idempotency keys remembered over all threads
 * @param inFlightSends sends waiting for their writes to be acknowledged
 */
public record HubStats(
    int threads,
    int connections,
    long memberships,
    long historyMessages,
    long historyBytes,
    long idempotencyKeys,
    int inFlightSends) {}
