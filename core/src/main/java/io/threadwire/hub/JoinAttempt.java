package io.threadwire.hub;

import io.threadwire.spi.Frame;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.TransportConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A join waiting for its replay, and then for the thread's sequencer to reach the replay's
 * position: the frames dispatched to the thread meanwhile are kept here, so the joiner gets them
 * after the replay, minus those the replay already covered. Guarded by the thread's {@link
 * ThreadState} monitor; {@link #done} is completed outside it.
 */
final class JoinAttempt {

  final TransportConnection connection;
  final CompletableFuture<JoinResult> done = new CompletableFuture<>();
  final List<Frame> buffered = new ArrayList<>();

  /** Gaps signalled while the join waited, each with the {@link #buffered} size at that moment. */
  List<Gaps.Pending> gaps; // lazily created

  boolean cancelled;

  /**
   * True when the client asked for the entries after an offset above 0 without saying of which
   * epoch: the replay covers everything retained and the join never reports recovered.
   */
  boolean epochUnknown;

  /** Set once the replay is read: its frames, position and missed count. */
  boolean replayRead;

  List<Frame> replayed = List.of();
  long epoch;
  long offset;
  long missed;

  JoinAttempt(TransportConnection connection) {
    this.connection = connection;
  }
}
