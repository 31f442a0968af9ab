package io.threadwire.hub;

import io.threadwire.Message;
import io.threadwire.SendOptions;
import io.threadwire.SendOutcome;
import io.threadwire.SendOutcome.ErrorKind;
import io.threadwire.ThreadId;
import io.threadwire.ThreadMessaging.State;
import io.threadwire.spi.AppendResult;
import io.threadwire.spi.DeliveryCallback;
import io.threadwire.spi.Frame;
import io.threadwire.spi.LogEntry;
import io.threadwire.spi.LogSubscription;
import io.threadwire.spi.MessagingListener;
import io.threadwire.spi.TransportConnection;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The send path and the dispatch to local members. A send registers its {@link FanOut} with the
 * thread, hands the message to the log outside every lock, and is dispatched when the log's
 * subscription delivers its entry to the {@link Sequencer}: only then is its offset known, and only
 * then is it encoded, once, for every local member.
 */
final class Sending {

  private static final System.Logger LOG = System.getLogger(ThreadHub.class.getName());
  private static final AtomicInteger HUBS = new AtomicInteger();

  /** The token bit of a send handed to the sequencer through the thread; never registered. */
  private static final long HANDOFF = 1L << 42;

  private final ThreadHub hub;

  /** Makes this hub's tokens distinct from those of other hubs on one log instance. */
  private final long tokenPrefix = ((long) (HUBS.incrementAndGet() & 0xFFFFF)) << 43;

  /** The hub's default log when it runs on the hub's clock, else null; see {@link #append}. */
  private final InMemoryThreadLog sameClockLog;

  /** {@link HubSettings#outcomeDeadline()} in milliseconds, read once. */
  private final long outcomeDeadlineMillis;

  /** Whether the log collects other nodes' delivery reports ({@link Reports}), read once. */
  private final boolean reporting;

  /**
   * The listener a send's own future reports to: none over a log that reports deliveries, whose
   * sends are reported once their outcome is combined with the other nodes' reports ({@link
   * Observed#combined}), so the listener hears the outcome the caller gets.
   */
  private final MessagingListener fanOutListener;

  Sending(ThreadHub hub) {
    this.hub = hub;
    this.outcomeDeadlineMillis = hub.settings.outcomeDeadline().toMillis();
    this.sameClockLog = hub.log instanceof InMemoryThreadLog m && m.runsOn(hub.clock) ? m : null;
    this.reporting = hub.log.reportsDeliveries();
    this.fanOutListener = reporting ? MessagingListener.none() : hub.listener;
  }

  CompletionStage<SendOutcome> send(ThreadId thread, Message message, SendOptions options) {
    ThreadState ts = hub.threads.get(thread);
    if (ts == null
        && (options.isTransient() || !hub.threads.policyFor(thread).enabled())
        && !hub.log.isShared()) {
      // Nobody here and nothing to keep; over a shared log other nodes may have members.
      return CompletableFuture.completedFuture(SendOutcome.noRecipients());
    }
    if (ts == null) {
      ts = hub.threads.acquire(thread);
    }
    if (!ts.subscribed.isDone()) {
      // Only a log that subscribes asynchronously gets here, once per thread.
      ThreadState pending = ts;
      return Observed.reported( // metrics hook (issue 15): reported inside, not again at the port
          hub.listener,
          ts.subscribed
              .handle((s, err) -> err)
              .thenCompose(
                  err ->
                      Observed.early(
                          hub.listener,
                          err != null
                              ? CompletableFuture.completedFuture(subscribeFailed(thread, err))
                              : sendOn(pending, message, options))));
    }
    if (ts.subscribed.isCompletedExceptionally()) {
      // That state was dropped; the next send subscribes afresh.
      return CompletableFuture.completedFuture(subscribeFailed(thread, failureOf(ts)));
    }
    return sendOn(ts, message, options);
  }

  private CompletionStage<SendOutcome> sendOn(ThreadState ts, Message message, SendOptions opts) {
    // Kept under the JIT's inlining limit for hot methods (325 bytecodes): the registered path is
    // a method of its own, so the common one inlines into the hub's send.
    boolean store = ts.policy.enabled() && !opts.isTransient();
    if (store && message.sizeEstimate() > ts.policy.maxBytes()) {
      return CompletableFuture.completedFuture(
          Outcomes.tooLargeForHistory(ts.id, message, ts.policy.maxBytes()));
    }
    String key = store ? message.idempotencyKey().orElse(null) : null;
    if (key == null && sameClockLog != null && hub.state() == State.RUNNING && !ts.removed) {
      // Over the default log, which delivers inside the append on this thread, the send is handed
      // to the sequencer through the thread (Dispatch.handoff) instead of registered under the
      // thread's monitor. A keyed send still registers: its key must be remembered first.
      long nowMillis = hub.clock.millis();
      if (ts.lastActivityMillis != nowMillis) {
        // Most sends fall in the millisecond of the one before: skip the volatile store (a fence).
        ts.lastActivityMillis = nowMillis;
      }
      // The default log dispatches inside the append, on this thread: the outcome deadline runs
      // from now, with no clock read at dispatch.
      long timeout =
          Math.min(
              opts.timeout().orElse(hub.settings.sendTimeout()).toMillis(), outcomeDeadlineMillis);
      return appendAndAnswer(
          ts,
          message,
          store,
          new FanOut(ts, HANDOFF | tokenPrefix, saturatedAdd(nowMillis, timeout), fanOutListener),
          nowMillis,
          false);
    }
    return sendRegistered(ts, message, opts, store, key);
  }

  /** Registers the send under the thread's monitor (remembering its key), then appends. */
  private CompletionStage<SendOutcome> sendRegistered(
      ThreadState ts, Message message, SendOptions opts, boolean store, String key) {
    FanOut fanOut;
    LogSubscription toClose = null;
    SendOutcome early = null;
    CompletableFuture<SendOutcome> earlier = null;
    boolean retry = false;
    long nowMillis = 0;
    synchronized (ts) {
      State now = hub.state();
      if (ts.removed) {
        retry = now == State.RUNNING;
        early = retry ? null : Outcomes.notRunning(now);
        fanOut = null;
      } else if (now != State.RUNNING) {
        // close() ran since the check in send(), maybe before this state existed to drop.
        toClose = hub.threads.drop(ts);
        early = Outcomes.notRunning(now);
        fanOut = null;
      } else {
        nowMillis = hub.clock.millis();
        ts.lastActivityMillis = nowMillis;
        earlier =
            key == null
                ? null
                : ts.rememberedOutcome(key, nowMillis, hub.settings.idempotencyWindow().toMillis());
        if (earlier != null) {
          fanOut = null;
        } else {
          long timeout = opts.timeout().orElse(hub.settings.sendTimeout()).toMillis();
          fanOut =
              new FanOut(
                  ts,
                  tokenPrefix | ts.nextToken(),
                  saturatedAdd(nowMillis, timeout),
                  fanOutListener);
          ts.addPending(fanOut);
          if (key != null) {
            ts.remember(key, fanOut.future, nowMillis, hub.settings.idempotencyMaxKeys());
          }
        }
      }
    }
    Threads.quietlyClose(toClose);
    if (retry) {
      return send(ts.id, message, opts);
    }
    if (early != null) {
      return CompletableFuture.completedFuture(early);
    }
    if (earlier != null) {
      return earlier.thenApply(SendOutcome::asDuplicate);
    }
    return appendAndAnswer(ts, message, store, fanOut, nowMillis, key != null);
  }

  /** Hands the message to the log outside every lock and applies an answer given inline. */
  private CompletionStage<SendOutcome> appendAndAnswer(
      ThreadState ts,
      Message message,
      boolean store,
      FanOut fanOut,
      long nowMillis,
      boolean keyed) {
    Dispatch section = Dispatch.enter();
    FanOut previous = section.handoff;
    if (fanOut.token == (HANDOFF | tokenPrefix)) {
      section.handoff = fanOut;
    }
    CompletionStage<AppendResult> stage;
    try {
      try {
        stage =
            store
                ? append(ts, message, fanOut.token, nowMillis)
                : hub.log.publish(ts.id, message, fanOut.token);
      } catch (RuntimeException e) {
        stage = CompletableFuture.failedFuture(e); // the SPI forbids throwing
      }
      if (stage instanceof CompletableFuture<AppendResult> cf && cf.isDone()) {
        answered(fanOut, cf.isCompletedExceptionally() ? null : cf.join(), failure(cf));
      } else {
        FanOut f = fanOut;
        stage.whenComplete((r, err) -> answeredLater(f, r, err));
      }
    } finally {
      section.handoff = previous;
      section.exit();
    }
    if (!fanOut.isDone()) {
      hub.inFlight.add(fanOut);
      if (hub.state() == State.CLOSED) {
        // close() may have drained inFlight before this send was added.
        hub.maintenance.expire(fanOut, ErrorKind.CLOSED, "messaging closed before the send ended");
      }
    }
    // A copy when the outcome is remembered, so a caller cancelling it cannot touch the memory.
    CompletionStage<SendOutcome> local = keyed ? fanOut.future.copy() : fanOut.future;
    // The send's own future reported its outcome to the listener, unless the log reports
    // deliveries: then the outcome combined with the other nodes' reports is (issues 13, 15).
    return reporting ? Observed.combined(hub.listener, Reports.combine(local, stage)) : local;
  }

  private SendOutcome subscribeFailed(ThreadId thread, Throwable err) {
    State now = hub.state();
    return now != State.RUNNING ? Outcomes.notRunning(now) : Outcomes.logFailed(thread, err);
  }

  private static Throwable failureOf(ThreadState ts) {
    try {
      ts.subscribed.join();
      return new IllegalStateException("subscription failed");
    } catch (RuntimeException e) {
      return e;
    }
  }

  private CompletionStage<AppendResult> append(
      ThreadState ts, Message message, long token, long nowMillis) {
    InMemoryThreadLog same = sameClockLog;
    return same != null
        ? same.append(ts.id, ts.logPolicy, message, token, nowMillis)
        : hub.log.append(ts.id, ts.logPolicy, message, token);
  }

  private static Throwable failure(CompletableFuture<AppendResult> cf) {
    if (!cf.isCompletedExceptionally()) {
      return null;
    }
    try {
      cf.join();
      return new IllegalStateException("completed exceptionally without a cause");
    } catch (RuntimeException e) {
      return e;
    }
  }

  private void answeredLater(FanOut f, AppendResult r, Throwable err) {
    Dispatch section = Dispatch.enter();
    try {
      answered(f, r, err);
    } finally {
      section.exit();
    }
  }

  /** Applies the log's answer to a send; called outside every lock. */
  private void answered(FanOut f, AppendResult r, Throwable err) {
    if (f.dispatchedByLog()) {
      return; // the entry reached the sequencer: the fan-out decides the outcome
    }
    SendOutcome decided;
    if (err != null) {
      decided = Outcomes.logFailed(f.thread.id, err);
    } else if (r == null) {
      decided = Outcomes.logFailed(f.thread.id, new IllegalStateException("no answer"));
    } else {
      decided = Outcomes.refused(f.thread.id, r);
      if (decided == null) {
        if (r.status() == AppendResult.Status.APPENDED) {
          f.confirmed(r.epoch(), r.offset());
          if (f.thread.resumes != 0 && skippedAlready(f, r)) {
            return;
          }
        }
        if (f.token == (HANDOFF | tokenPrefix)) {
          // The default log delivers inside the append: an entry not dispatched by now had no
          // subscriber (maintenance dropped the idle thread meanwhile), so nobody is here.
          f.finish(
              r.status() == AppendResult.Status.APPENDED
                  ? SendOutcome.queued(r.offset(), java.util.List.of())
                  : SendOutcome.noRecipients());
        }
        return; // stored or published; its entry is on the way to the sequencer
      }
    }
    boolean stillPending;
    if (f.token == (HANDOFF | tokenPrefix)) {
      stillPending = true; // never registered; answered inline, on this thread, before any expiry
    } else {
      synchronized (f.thread) {
        stillPending = f.thread.removePending(f);
      }
    }
    if (stillPending) {
      f.finish(decided);
    }
  }

  /**
   * Ends {@code f} if a gap already moved its thread past the offset the log answered, its entry
   * not dispatched: answered after the gap was decided, it would otherwise wait for its deadline.
   */
  private static boolean skippedAlready(FanOut f, AppendResult r) {
    ThreadState ts = f.thread;
    int members;
    synchronized (ts) {
      if (f.dispatchedByLog()
          || !ts.positioned
          || ts.epoch != r.epoch()
          || r.offset() > ts.lastOffset
          || !ts.removePending(f)) {
        return false;
      }
      members = ts.members.length;
    }
    f.finish(Outcomes.skipped(ts.id, r.offset(), members));
    return true;
  }

  /**
   * Dispatches one entry to the thread's local members and buffering joins; the sequencer calls it
   * in offset order under the thread's monitor. A local send's entry is encoded once after its
   * offset is known; so is a foreign one.
   */
  void dispatch(ThreadState ts, LogEntry e, Dispatch section) {
    FanOut own = null;
    if (e.token() != LogEntry.FOREIGN) {
      FanOut h = section.handoff;
      if (h != null && h.thread == ts && e.token() == h.token) {
        own = h;
        section.handoff = null;
      } else {
        own = ts.takePending(e.token());
      }
    }
    if (own != null) {
      own.markDispatched();
    }
    TransportConnection[] members = ts.members;
    boolean joining = ts.hasJoining();
    boolean report = own == null && reporting && !e.receipt().isEmpty();
    if (members.length == 0 && !joining) {
      if (own != null) {
        own.finish(nobody(e));
      } else if (report) {
        Reports.nobody(hub.log, e, 0);
      }
      return;
    }
    String text = encode(ts.id, e);
    if (text == null) {
      if (own != null) {
        own.finish(Outcomes.encodingFailed(e.message(), e.offset()));
      } else if (report) {
        Reports.nobody(hub.log, e, members.length);
      }
      return;
    }
    Frame frame = new Frame(ts.id, e.epoch(), e.offset(), e.message(), text);
    if (joining) {
      for (JoinAttempt j : ts.joining) {
        j.buffered.add(frame);
      }
    }
    if (report) {
      Reports.dispatch(
          hub, ts, e, members, frame, saturatedAdd(hub.clock.millis(), outcomeDeadlineMillis));
    } else if (own == null) {
      sendIgnoring(members, frame);
    } else if (members.length == 0) {
      own.finish(nobody(e));
    } else {
      // One deadline per send: the outcome deadline runs from dispatch (the handoff's was set from
      // the send, a moment ago on this thread).
      long writeDeadline =
          own.token == (HANDOFF | tokenPrefix)
              ? Long.MAX_VALUE
              : saturatedAdd(hub.clock.millis(), outcomeDeadlineMillis);
      own.dispatch(members, frame, writeDeadline);
    }
  }

  private static SendOutcome nobody(LogEntry e) {
    return e.isTransient()
        ? SendOutcome.noRecipients()
        : SendOutcome.queued(e.offset(), java.util.List.of());
  }

  static void sendIgnoring(TransportConnection[] members, Frame frame) {
    for (TransportConnection member : members) {
      sendIgnoring(member, frame);
    }
  }

  static void sendIgnoring(TransportConnection member, Frame frame) {
    try {
      member.send(frame, DeliveryCallback.ignoring());
    } catch (RuntimeException ex) {
      LOG.log(Level.WARNING, "transport threw from send to " + Outcomes.safeId(member), ex);
    }
  }

  /** Returns the encoded text, or null (logged) if the encoder failed or returned null. */
  String encode(ThreadId thread, LogEntry e) {
    Message message = e.message();
    try {
      String text = hub.encoder.encode(thread, e.epoch(), e.offset(), message);
      if (text == null) {
        LOG.log(
            Level.WARNING, "encoder returned null for message " + message.id() + " of " + thread);
      }
      return text;
    } catch (RuntimeException ex) {
      LOG.log(Level.WARNING, "could not encode message " + message.id() + " of " + thread, ex);
      return null;
    }
  }

  static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
