package io.threadwire.redis;

import io.threadwire.ThreadId;

/**
 * The Redis keys and channel of one thread: {@code <prefix>:{<thread>}:meta}, {@code :stream},
 * {@code :idz}, {@code :idh} and the channel {@code :ch}; and each node's report channel (see
 * {@link #reportChannel}). The thread id is the Redis Cluster hash tag, so all of a thread's keys
 * live in one slot and one script may touch them; thread ids cannot contain braces, so the tag is
 * always exactly the thread id.
 */
record Keys(byte[][] keys, byte[] channel) {

  static Keys of(String prefix, ThreadId thread) {
    String base = prefix + ":{" + thread.value() + "}:";
    return new Keys(
        new byte[][] {
          Codec.utf8(base + "meta"),
          Codec.utf8(base + "stream"),
          Codec.utf8(base + "idz"),
          Codec.utf8(base + "idh")
        },
        Codec.utf8(base + "ch"));
  }

  /**
   * Returns the channel on which node {@code node} receives other nodes' delivery reports: {@code
   * <prefix>:node:{<node>}:rep}. It does not start with {@code <prefix>:{}, so it is never taken
   * for a thread's channel; the node id is its hash tag, for sharded pub/sub on Redis Cluster.
   */
  static byte[] reportChannel(String prefix, String node) {
    return Codec.utf8(prefix + ":node:{" + node + "}:rep");
  }

  /** Returns the channel name prefix shared by every thread's channel under {@code prefix}. */
  static String channelPattern(String prefix) {
    return prefix + ":{*}:ch";
  }

  /** Returns the thread whose channel is {@code channel}, or null if it is not one of ours. */
  static ThreadId threadOf(String prefix, String channel) {
    String start = prefix + ":{";
    if (!channel.startsWith(start) || !channel.endsWith("}:ch")) {
      return null;
    }
    String id = channel.substring(start.length(), channel.length() - 4);
    return ThreadId.isValid(id) ? ThreadId.of(id) : null;
  }
}
