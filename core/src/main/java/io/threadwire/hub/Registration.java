package io.threadwire.hub;

import io.threadwire.ThreadId;
import io.threadwire.spi.TransportConnection;
import java.util.Arrays;
import java.util.Set;

/**
 * A registered connection and the threads it has joined; guarded by its own monitor. The joined
 * threads are a small array in join order, not a set: a connection joins a handful of threads (at
 * most {@code maxThreadsPerConnection}), and a hash set would cost every connection a table and
 * every membership an entry object.
 */
final class Registration {

  private static final ThreadId[] NONE = new ThreadId[0];

  final TransportConnection connection;
  private ThreadId[] threads = NONE;
  private int count;
  boolean unregistered;

  Registration(TransportConnection connection) {
    this.connection = connection;
  }

  boolean hasJoined(ThreadId thread) {
    return indexOf(thread) >= 0;
  }

  int joinedCount() {
    return count;
  }

  /** Records {@code thread} as joined; the caller has checked it is not yet. */
  void addJoined(ThreadId thread) {
    if (count == threads.length) {
      threads = Arrays.copyOf(threads, Math.max(2, count * 2));
    }
    threads[count++] = thread;
  }

  /** Forgets {@code thread}; returns false if it was not joined. */
  boolean removeJoined(ThreadId thread) {
    int i = indexOf(thread);
    if (i < 0) {
      return false;
    }
    System.arraycopy(threads, i + 1, threads, i, count - i - 1);
    threads[--count] = null;
    return true;
  }

  /** Forgets every joined thread and returns them, in join order. */
  ThreadId[] takeJoined() {
    ThreadId[] all = Arrays.copyOf(threads, count);
    threads = NONE;
    count = 0;
    return all;
  }

  Set<ThreadId> joined() {
    return Set.of(Arrays.copyOf(threads, count));
  }

  private int indexOf(ThreadId thread) {
    for (int i = 0; i < count; i++) {
      if (threads[i].equals(thread)) {
        return i;
      }
    }
    return -1;
  }
}
