/**
 * A Threadwire thread log on Redis ({@link io.threadwire.redis.RedisThreadLog}), shared by every
 * node pointed at the same Redis and key prefix; settings in {@link
 * io.threadwire.redis.RedisSettings} and {@link io.threadwire.redis.RedisConfig}.
 */
package io.threadwire.redis;
