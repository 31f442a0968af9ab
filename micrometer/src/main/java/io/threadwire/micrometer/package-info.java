/**
 * Micrometer meters for Threadwire: {@link io.threadwire.micrometer.ThreadwireMetrics} is the
 * {@code MeterBinder} a host binds to its registry and the source of the {@link
 * io.threadwire.spi.MessagingListener} it hands to the messaging builder. The meters' event path
 * indexes pre-registered counters and increments them; gauges read a hub snapshot when scraped.
 */
package io.threadwire.micrometer;
