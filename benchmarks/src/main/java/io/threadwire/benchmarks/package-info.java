/**
 * JMH benchmarks of the core send path ({@code CoreSendBenchmark}, {@code ChurnSendBenchmark}),
 * each against a baseline in the same class, with and without metrics bound. Not published.
 */
package io.threadwire.benchmarks;
