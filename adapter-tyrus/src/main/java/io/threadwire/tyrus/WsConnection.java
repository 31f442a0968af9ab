package io.threadwire.tyrus;

import io.threadwire.ConnectionId;
import io.threadwire.ThreadId;
import io.threadwire.UserId;
import io.threadwire.spi.DeliveryCallback;
import io.threadwire.spi.Frame;
import io.threadwire.spi.JoinResult;
import io.threadwire.spi.Since;
import io.threadwire.spi.ThreadGap;
import io.threadwire.spi.TransportConnection;
import io.threadwire.tyrus.internal.EndpointLifecycle;
import io.threadwire.tyrus.internal.WebSocketEndpoint;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.glassfish.grizzly.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: the Jakarta WebSocket endpoint instance for its session, the protocol
 * state machine for what the client sends, and the {@link TransportConnection} the hub writes to.
 * One object per connection, created by the server for each accepted handshake; no thread of its
 * own.
 *
 * <p>Tyrus sees it through a {@link WebSocketEndpoint}, the public shell in the module's internal
 * package (Tyrus's {@code TyrusEndpointWrapper} calls {@code onOpen} through the endpoint class
 * without {@code setAccessible}, so the endpoint class must be public in a package open to Tyrus;
 * module-path-test showed it), which hands it the session's lifecycle events.
 */
final class WsConnection implements TransportConnection, EndpointLifecycle {

  static final Logger LOG = LoggerFactory.getLogger(WsConnection.class);
  private static final ByteBuffer PING = ByteBuffer.allocate(0);

  private final ConnectionId id = ConnectionId.next();
  private final ServerContext ctx;
  private final Outbound out;
  private final AtomicBoolean finished = new AtomicBoolean();
  private final AtomicBoolean countedSlow = new AtomicBoolean();
  private volatile UserId user = UserId.anonymous();
  private volatile Session session;
  private volatile Connection<SocketAddress> tcp;

  /** What the client sends, frame by frame: rate limit, liveness, the server's closing state. */
  private volatile InboundGuard inbound;

  private volatile long lastPingNanos;

  /** The {@code ref} of the join being processed, read back by {@link #joined}. */
  private String joinRef;

  WsConnection(ServerContext ctx) {
    this.ctx = ctx;
    this.out =
        new Outbound(
            this,
            () -> cutAsync(CloseCodes.UNEXPECTED_CONDITION, "write failed", Causes.CLOSED),
            ctx.flusherFor(id),
            ctx.settings.maxQueuedFrames(),
            ctx.settings.maxQueuedBytes(),
            Outbound.SLOW_WRITE_NANOS,
            ctx.budget);
  }

  @Override
  public ConnectionId id() {
    return id;
  }

  @Override
  public UserId user() {
    return user;
  }

  /** Returns this connection's outbound queue; for the transport's gauges. */
  Outbound outbound() {
    return out;
  }

  /** Returns the Jakarta session, or null before {@code onOpen}; for the benchmarks. */
  Session session() {
    return session;
  }

  /** Returns the Grizzly connection behind the session, or null if unknown; for the benchmarks. */
  Connection<SocketAddress> tcp() {
    return tcp;
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    this.session = session;
    if (config.getUserProperties().get(EndpointConfigurator.ADMISSION_KEY)
        instanceof GuardFilter.Admission a) {
      user = a.user();
      tcp = a.connection();
      inbound = a.inbound();
    } else {
      inbound = new InboundGuard(ctx.settings, System.nanoTime()); // only in tests without a guard
    }
    inbound.attach(this);
    Connection<SocketAddress> c = tcp;
    if (c != null) {
      ctx.guard.upgraded(c);
      out.attach(c);
    }
    session.setMaxTextMessageBufferSize(ctx.settings.maxFrameBytes());
    session.setMaxBinaryMessageBufferSize(ctx.settings.maxFrameBytes());
    out.attach(session.getAsyncRemote());
    session.addMessageHandler(String.class, this::onText);
    session.addMessageHandler(ByteBuffer.class, this::onBinary);
    ctx.connections.put(id, this);
    if (ctx.stopping) {
      finish(CloseCodes.GOING_AWAY, "server stopping", Causes.STOPPING);
      return;
    }
    try {
      ctx.hub.register(this);
    } catch (RuntimeException e) {
      LOG.warn("connection={} could not be registered", id, e);
      finish(CloseCodes.UNEXPECTED_CONDITION, "internal error", Causes.CLOSED);
      return;
    }
    LOG.debug("connection={} user={} opened", id, user);
    out.offerControl(ServerFrames.welcome(id, user));
  }

  @Override
  public void onClose(Session session, CloseReason reason) {
    LOG.debug("connection={} closed: {}", id, reason);
    cleanUp(Causes.CLOSED);
  }

  @Override
  public void onError(Session session, Throwable error) {
    LOG.debug("connection={} transport error: {}", id, error.toString());
  }

  /**
   * Closes the connection with {@code code}: fails what is still queued, forgets the connection and
   * sends the close frame, after which the guard filter waits for the client's close frame (see
   * {@link GuardFilter#close}) and drops the TCP connection if it does not come within the close
   * grace: a client that stopped reading would otherwise hold its socket, and the bytes queued in
   * it, forever. Never call it from the hub's send path; see {@link #cutAsync}.
   */
  void finish(CloseReason.CloseCode code, String reason, Throwable cause) {
    cleanUp(cause);
    Connection<SocketAddress> c = tcp;
    InboundGuard g = inbound;
    if (c != null && g != null) {
      ctx.guard.close(c, g, code.getCode(), reason);
      return;
    }
    Session s = session;
    if (s != null && s.isOpen()) {
      try {
        s.close(new CloseReason(code, reason));
      } catch (Exception e) {
        LOG.debug("connection={} close failed: {}", id, e.toString());
      }
    }
  }

  /**
   * Closes as {@link #finish} does, with a close code the guard filter chose (1002, 1008, 1009).
   */
  void closeFromGuard(int code, String reason) {
    finish(CloseCodes.getCloseCode(code), reason, Causes.CLOSED);
  }

  /** Closes as {@link #finish} does; the TCP connection is dropped after the close grace. */
  void cutOff(CloseCodes code, String reason, Throwable cause) {
    finish(code, reason, cause);
  }

  /** Returns the bytes queued for this connection now; the global budget cuts the largest first. */
  long queuedBytes() {
    return out.queuedBytes();
  }

  /** Schedules {@link #cutOff} on an I/O thread; safe from anywhere, including the hub's lock. */
  void cutAsync(CloseCodes code, String reason, Throwable cause) {
    try {
      ctx.io.execute(() -> cutOff(code, reason, cause));
    } catch (RuntimeException e) {
      // The executor is gone: the server is stopping and closes every session itself.
      LOG.debug("connection={} could not schedule close: {}", id, e.toString());
    }
  }

  private void cleanUp(Throwable cause) {
    // Forget the connection before failing its frames: whoever sees an outcome naming it failed
    // also sees it gone from the thread.
    if (finished.compareAndSet(false, true)) {
      ctx.connections.remove(id, this);
      ctx.hub.unregister(id);
    }
    out.close(cause);
  }

  /**
   * Counts this connection as a slow consumer once, however many bounds it hits and whoever sees it
   * first (the sender, the sweeper, the budget's shedding).
   */
  void slowConsumer(boolean byBudget) {
    if (countedSlow.compareAndSet(false, true)) {
      ctx.stats.slowConsumer(byBudget);
    }
  }

  /** Enforces the write timeout, the idle timeout and the ping schedule; called by the sweeper. */
  void sweep(long now) {
    if (out.isStalled(now, ctx.writeTimeoutNanos)) {
      LOG.info("connection={} user={} is a slow consumer: write timed out", id, user);
      slowConsumer(false);
      cutOff(CloseCodes.TRY_AGAIN_LATER, "slow consumer: write timed out", Causes.WRITE_TIMEOUT);
      return;
    }
    InboundGuard g = inbound;
    long silent = now - (g == null ? now : g.lastFrameNanos());
    if (silent > ctx.idleTimeoutNanos) {
      LOG.debug("connection={} idle for {} ms: closing", id, silent / 1_000_000);
      cutOff(CloseCodes.NORMAL_CLOSURE, "idle timeout", Causes.CLOSED); // likely dead: drop it too
    } else if (silent > ctx.pingIntervalNanos && now - lastPingNanos > ctx.pingIntervalNanos) {
      lastPingNanos = now;
      Session s = session;
      try {
        if (s != null && s.isOpen()) {
          s.getAsyncRemote().sendPing(PING.duplicate());
        }
      } catch (Exception e) {
        LOG.debug("connection={} ping failed: {}", id, e.toString());
      }
    }
  }

  // ---- the hub's side -------------------------------------------------------------------------

  @Override
  public void send(Frame frame, DeliveryCallback callback) {
    Outbound.Offer offer = out.offer(frame, callback);
    if (offer == Outbound.Offer.FULL) {
      LOG.info(
          "connection={} user={} thread={} is a slow consumer: outbound queue full",
          id,
          user,
          frame.thread());
      slowConsumer(false);
      cutAsync(CloseCodes.TRY_AGAIN_LATER, "slow consumer: outbound queue full", Causes.QUEUE_FULL);
    } else if (offer == Outbound.Offer.OVER_BUDGET) {
      overBudget();
    }
  }

  /** Cuts this connection: the global outbound budget is spent and its write is stuck. */
  private void overBudget() {
    LOG.info(
        "connection={} user={} is a slow consumer: the server's outbound budget is spent and its"
            + " write is pending",
        id,
        user);
    slowConsumer(true);
    cutAsync(
        CloseCodes.TRY_AGAIN_LATER, "slow consumer: server outbound budget", Causes.QUEUE_FULL);
  }

  @Override
  public void joined(JoinResult result) {
    control(ServerFrames.joined(result, joinRef));
  }

  @Override
  public void gap(ThreadGap gap) {
    control(ServerFrames.gap(gap)); // same queue as the messages: in order with them
  }

  private void control(String text) {
    Outbound.Offer offer = out.offerControl(text);
    if (offer == Outbound.Offer.FULL) {
      slowConsumer(false);
      cutAsync(CloseCodes.TRY_AGAIN_LATER, "slow consumer: outbound queue full", Causes.QUEUE_FULL);
    } else if (offer == Outbound.Offer.OVER_BUDGET) {
      overBudget();
    }
  }

  // ---- what the client sends ------------------------------------------------------------------

  private void onText(String text) {
    long now = System.nanoTime();
    if (out.isClosed()) {
      return;
    }
    ClientFrame f = null;
    try {
      int max = ctx.settings.maxFrameBytes();
      // A char is at most 3 UTF-8 bytes: only texts that could exceed the limit are encoded.
      if (text.length() > max
          || (text.length() > max / 3 && text.getBytes(StandardCharsets.UTF_8).length > max)) {
        finish(CloseCodes.TOO_BIG, "frame too big", Causes.CLOSED);
        return;
      }
      if (rateLimited(now)) {
        return;
      }
      f = ClientFrame.parse(text);
      if (f.error() != null) {
        error(f.error(), f.reason(), null, f.ref());
        return;
      }
      switch (f.type()) {
        case "join" -> onJoin(f);
        case "leave" -> onLeave(f);
        case "ping" -> control(ServerFrames.pong(f.ref()));
        default -> error(ErrorCode.UNKNOWN_TYPE, "unknown frame type", null, f.ref());
      }
    } catch (RuntimeException e) {
      LOG.error("connection={} user={} failed to process a frame", id, user, e);
      String ref = f == null ? null : f.ref();
      error(ErrorCode.INTERNAL_ERROR, "the server could not process the frame", null, ref);
    }
  }

  private void onBinary(ByteBuffer data) {
    long now = System.nanoTime();
    if (out.isClosed() || rateLimited(now)) {
      return;
    }
    error(ErrorCode.MALFORMED_JSON, "binary frames are not supported; send JSON text", null, null);
  }

  /**
   * Takes the rate-limit token of one complete message; if refused, answers {@code rate_limited},
   * or closes with 1008 after too many refusals in a row, and returns true.
   */
  private boolean rateLimited(long now) {
    InboundGuard g = inbound;
    if (g.tryAcquireMessage(now)) {
      return false;
    }
    if (g.refusedInARow() >= ctx.settings.rateLimit().closeAfter()) {
      LOG.info("connection={} user={} closed for rate limit abuse", id, user);
      ctx.stats.rateLimitClosed();
      finish(CloseCodes.VIOLATED_POLICY, "rate limit exceeded", Causes.CLOSED);
    } else {
      ctx.stats.rateLimitedOnce();
      error(ErrorCode.RATE_LIMITED, "too many frames; slow down", null, null);
    }
    return true;
  }

  private ThreadId thread(ClientFrame f) {
    if (f.thread() == null) {
      error(ErrorCode.MISSING_FIELD, "field 'thread' is required", null, f.ref());
      return null;
    }
    if (!ThreadId.isValid(f.thread())) {
      error(ErrorCode.INVALID_THREAD, "a thread id must be " + ThreadId.RULE, null, f.ref());
      return null;
    }
    return ThreadId.of(f.thread());
  }

  private void onJoin(ClientFrame f) {
    ThreadId thread = thread(f);
    if (thread == null) {
      return;
    }
    if (!mayJoin(thread)) {
      error(ErrorCode.FORBIDDEN_THREAD, "not allowed to join this thread", thread.value(), f.ref());
      return;
    }
    Since since =
        f.since() < 0
            ? Since.none()
            : f.epoch() < 0 ? Since.offset(f.since()) : Since.position(f.epoch(), f.since());
    JoinResult r;
    joinRef = f.ref();
    try {
      r = ctx.hub.join(id, thread, since);
    } catch (IllegalStateException e) {
      if (finished.get()) {
        return; // unregistered concurrently: the connection is closing
      }
      throw e; // any other failure is answered with internal_error
    } finally {
      joinRef = null;
    }
    switch (r.status()) {
      case JOINED -> LOG.debug("connection={} thread={} joined: {}", id, thread, r);
      case ALREADY_JOINED -> control(ServerFrames.joined(r, f.ref()));
      case TOO_MANY_THREADS ->
          error(
              ErrorCode.TOO_MANY_THREADS,
              "at most " + ctx.hub.settings().maxThreadsPerConnection() + " threads per connection",
              thread.value(),
              f.ref());
      case NOT_RUNNING ->
          error(ErrorCode.UNAVAILABLE, "the server is not running", thread.value(), f.ref());
    }
  }

  private boolean mayJoin(ThreadId thread) {
    try {
      return ctx.accessPolicy.mayJoin(user, thread);
    } catch (RuntimeException e) {
      LOG.warn("connection={} thread={} access policy failed; join refused", id, thread, e);
      return false;
    }
  }

  private void onLeave(ClientFrame f) {
    ThreadId thread = thread(f);
    if (thread == null) {
      return;
    }
    try {
      ctx.hub.leave(id, thread);
    } catch (IllegalStateException e) {
      if (finished.get()) {
        return; // unregistered concurrently: the connection is closing
      }
      throw e; // any other failure is answered with internal_error
    }
    control(ServerFrames.left(thread, f.ref()));
  }

  private void error(ErrorCode code, String reason, String thread, String ref) {
    LOG.debug("connection={} thread={} error frame {}: {}", id, thread, code.code(), reason);
    control(ServerFrames.error(code, reason, thread, ref));
  }

  @Override
  public String describe() {
    return id + "(" + user + ")";
  }
}
