package io.threadwire.tyrus;

import io.threadwire.UserId;
import io.threadwire.spi.MessagingListener.HandshakeRefusal;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.CompletionHandler;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.util.Parameters;
import org.glassfish.grizzly.memory.Buffers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Grizzly filter in front of Tyrus's WebSocket filter that owns everything Tyrus does not do well
 * at the TCP level:
 *
 * <ul>
 *   <li>connection bounds, on accept: at most {@code max-connections} TCP connections, and {@code
 *       max-connections-per-address} from one address; one more is closed at once;
 *   <li>the handshake deadline: a connection not upgraded within {@code handshake.timeout} of its
 *       accept (silent, slowloris, TLS or other bytes, idle after a refusal) is dropped, and at
 *       most {@code handshake.max-pending} of them wait at once: one more drops the oldest;
 *   <li>the handshake gate: every HTTP request is answered here unless it is a valid upgrade (RFC
 *       6455, section 4.2.1) to the path, from an allowed origin, that the {@link
 *       HandshakeAuthenticator} accepts: 400, 403, 404 or 426, each a complete response with {@code
 *       Content-Length: 0} and a closed socket (Tyrus answers a malformed upgrade with an
 *       unterminated 500 and leaves the socket open; Grizzly keeps a 404's socket alive);
 *   <li>the frames of an upgraded connection, through its {@link InboundGuard}: the message size
 *       limit across fragments (1009), RFC framing (1002), the rate limit per frame (1008);
 *   <li>every close the server starts: its close frame, then nothing more is read or written until
 *       the client's close frame, then the TCP close, or a drop after the close grace. Tyrus closes
 *       the TCP connection right after writing its close frame, and a client still sending then
 *       gets a reset that can destroy the close frame before it reads it;
 *   <li>the TCP connection behind each session, so a stop can wait for close frames to flush.
 * </ul>
 *
 * <p>An admitted handshake's {@link Admission} reaches {@link EndpointConfigurator} through a
 * thread-local: Grizzly runs the whole filter chain of one read in one thread, so Tyrus's
 * handshake, and with it {@code modifyHandshake}, runs in the thread that admitted it, right after.
 * Every upgrade request passes this filter first and either is refused here or sets the value, so
 * the configurator can never see another request's admission; without one it refuses (403). No
 * header, map entry or handle per connection.
 */
final class GuardFilter extends BaseFilter implements AddOn {

  /** The admission of the handshake this thread is processing; see the class comment. */
  private static final ThreadLocal<Admission> CURRENT = new ThreadLocal<>();

  private static final Logger LOG = LoggerFactory.getLogger(GuardFilter.class);
  private static final Attribute<InboundGuard> INBOUND =
      Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute("threadwire.inboundGuard");

  private final TyrusSettings settings;
  private final HandshakeAuthenticator authenticator;
  private final TyrusStats stats;
  private final ScheduledExecutorService io;
  private final ConnectionBounds bounds;

  GuardFilter(
      TyrusSettings settings,
      HandshakeAuthenticator authenticator,
      TyrusStats stats,
      ScheduledExecutorService io) {
    this.settings = settings;
    this.authenticator = authenticator;
    this.stats = stats;
    this.io = io;
    this.bounds = new ConnectionBounds(settings, stats);
  }

  /** Who a handshake was admitted as, the TCP connection it came on, and its inbound guard. */
  record Admission(UserId user, Connection<SocketAddress> connection, InboundGuard inbound) {}

  @Override
  public void setup(NetworkListener listener, FilterChainBuilder builder) {
    int index = builder.indexOfType(org.glassfish.grizzly.http.server.HttpServerFilter.class);
    builder.add(index, this);
  }

  /** Returns and forgets the admission of the handshake this thread is processing, if any. */
  static Optional<Admission> takeAdmission() {
    Admission a = CURRENT.get();
    CURRENT.remove();
    return Optional.ofNullable(a);
  }

  /** Returns the number of open TCP connections. */
  int openConnections() {
    return bounds.open();
  }

  /** Returns the number of TCP connections that have not completed the upgrade. */
  int pendingHandshakes() {
    return bounds.pending();
  }

  /** Drops every TCP connection at once. */
  void terminateAll() {
    bounds.terminateAll();
  }

  /** Drops every connection that has not completed the upgrade; on stop. */
  void terminatePending() {
    bounds.terminatePending();
  }

  /** Marks {@code connection} upgraded: the handshake deadline no longer applies to it. */
  void upgraded(Connection<?> connection) {
    bounds.upgraded(connection);
  }

  /** Drops connections past the handshake deadline; runs on the server's sweep. */
  void sweep(long now) {
    bounds.sweep(now);
  }

  /**
   * Closes an upgraded connection as the server: sends the close frame (after whatever is already
   * in Grizzly's write queue), then swallows input until the client's close frame, then closes;
   * drops the TCP connection if that takes longer than the close grace. Idempotent.
   */
  void close(Connection<SocketAddress> connection, InboundGuard inbound, int code, String reason) {
    if (!inbound.startClosing()) {
      return;
    }
    byte[] frame = InboundGuard.closeFrame(code, reason);
    connection.write(
        Buffers.wrap(connection.getMemoryManager(), frame),
        new EmptyCompletionHandler<WriteResult<Buffer, SocketAddress>>() {
          @Override
          public void failed(Throwable throwable) {
            connection.terminateSilently();
          }
        });
    try {
      io.schedule(
          connection::terminateSilently, settings.closeGrace().toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      connection.terminateSilently(); // the server is stopping: it drops every connection anyway
    }
  }

  @Override
  public NextAction handleAccept(FilterChainContext ctx) throws IOException {
    Connection<?> c = ctx.getConnection();
    if (bounds.admit(c) == null) {
      return ctx.getInvokeAction();
    }
    c.terminateSilently();
    return ctx.getStopAction();
  }

  @Override
  public NextAction handleRead(FilterChainContext ctx) throws IOException {
    if (!(ctx.getMessage() instanceof HttpContent content)) {
      return ctx.getInvokeAction();
    }
    Connection<?> connection = ctx.getConnection();
    InboundGuard inbound = INBOUND.get(connection);
    if (inbound != null) {
      return passes(connection, inbound, content) ? ctx.getInvokeAction() : ctx.getStopAction();
    }
    HttpHeader header = content.getHttpHeader();
    if (!header.isRequest()) {
      return ctx.getInvokeAction();
    }
    HttpRequestPacket request = (HttpRequestPacket) header;
    if (request.getResponse().isCommitted()) {
      return ctx.getStopAction(); // the rest of a request already refused
    }
    CURRENT.remove();
    boolean websocket = "websocket".equalsIgnoreCase(header.getUpgrade());
    if (!settings.path().equals(request.getRequestURI())) {
      return respond(ctx, request, 404, "Not Found", HandshakeRefusal.UNKNOWN_PATH);
    }
    if (!websocket) {
      LOG.debug("request without Upgrade: websocket refused with 426");
      return respond(ctx, request, 426, "Upgrade Required", HandshakeRefusal.MALFORMED);
    }
    String malformed = malformed(request);
    if (malformed != null) {
      LOG.debug("handshake refused: {}", malformed);
      return respond(ctx, request, 400, "Bad Request", HandshakeRefusal.MALFORMED);
    }
    if (!"13".equals(trimmed(request.getHeader("Sec-WebSocket-Version")))) {
      LOG.debug("handshake refused: unsupported Sec-WebSocket-Version");
      return respond(ctx, request, 426, "Upgrade Required", HandshakeRefusal.MALFORMED);
    }
    String origin = request.getHeader("Origin");
    if (origin != null && !settings.isOriginAllowed(origin)) {
      LOG.info("handshake refused: origin {} is not allowed", printable(origin));
      return respond(ctx, request, 403, "Forbidden", HandshakeRefusal.ORIGIN_NOT_ALLOWED);
    }
    Handshake handshake =
        Handshake.of(
            headers(request),
            parameters(request),
            settings.tokenHeader(),
            settings.tokenQueryParameter());
    Optional<UserId> user;
    try {
      user = authenticator.authenticate(handshake);
    } catch (RuntimeException e) {
      LOG.warn("handshake refused: the authenticator failed", e);
      user = Optional.empty();
    }
    if (user.isEmpty()) {
      LOG.debug("handshake refused: not authenticated ({})", handshake);
      return respond(ctx, request, 403, "Forbidden", HandshakeRefusal.NOT_AUTHENTICATED);
    }
    InboundGuard guard = new InboundGuard(settings, System.nanoTime());
    INBOUND.set(connection, guard);
    // Bytes after the request head in this read are the client's first frames: check them too.
    if (!passes(connection, guard, content)) {
      return ctx.getStopAction();
    }
    CURRENT.set(new Admission(user.get(), tcp(connection), guard));
    return ctx.getInvokeAction();
  }

  /** Returns why an upgrade request breaks RFC 6455, section 4.2.1, or null if it does not. */
  private static String malformed(HttpRequestPacket request) {
    if (request.getMethod() != Method.GET) {
      return "not a GET";
    }
    String connection = request.getHeader("Connection");
    boolean upgrade = false;
    if (connection != null) {
      for (String token : connection.split(",")) {
        upgrade |= token.trim().equalsIgnoreCase("upgrade");
      }
    }
    if (!upgrade) {
      return "no Connection: Upgrade";
    }
    String key = trimmed(request.getHeader("Sec-WebSocket-Key"));
    if (key == null) {
      return "no Sec-WebSocket-Key";
    }
    try {
      if (Base64.getDecoder().decode(key).length != 16) {
        return "Sec-WebSocket-Key is not 16 bytes";
      }
    } catch (IllegalArgumentException e) {
      return "Sec-WebSocket-Key is not base64";
    }
    return null;
  }

  private static String trimmed(String value) {
    return value == null ? null : value.trim();
  }

  /** Feeds frame bytes to the connection's guard and acts on its verdict; true to pass them on. */
  private boolean passes(Connection<?> connection, InboundGuard inbound, HttpContent content) {
    int verdict = inbound.accept(content.getContent());
    if (verdict == InboundGuard.PASS) {
      return true;
    }
    if (verdict == InboundGuard.DROP) {
      return false;
    }
    if (verdict == InboundGuard.CLIENT_CLOSED) {
      connection.closeSilently(); // nothing is left unread: a clean close, no reset
      return false;
    }
    String reason;
    switch (verdict) {
      case 1009 -> {
        stats.messageTooBig();
        reason = "message too big";
        LOG.info(
            "connection from {} sent a message over {} bytes: closing with 1009",
            connection.getPeerAddress(),
            settings.maxFrameBytes());
      }
      case 1008 -> {
        stats.rateLimitClosed();
        reason = "rate limit exceeded";
        LOG.info("connection from {} closed for rate limit abuse", connection.getPeerAddress());
      }
      default -> {
        stats.protocolViolation();
        reason = "protocol error";
        LOG.info(
            "connection from {} broke RFC 6455 framing: closing with 1002",
            connection.getPeerAddress());
      }
    }
    WsConnection owner = inbound.owner();
    if (owner != null) {
      owner.closeFromGuard(verdict, reason);
    } else {
      close(tcp(connection), inbound, verdict, reason);
    }
    return false;
  }

  @SuppressWarnings("unchecked") // every Grizzly TCP connection is addressed by SocketAddress
  private static Connection<SocketAddress> tcp(Connection<?> connection) {
    return (Connection<SocketAddress>) connection;
  }

  /** Returns client-supplied text safe for one log line: no control characters, bounded. */
  private static String printable(String text) {
    String cut = text.length() > 200 ? text.substring(0, 200) + "..." : text;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  /**
   * Answers the request with a complete, empty response and closes the socket. The response is
   * written as bytes, not through Grizzly's HTTP encoder, which drops the {@code Content-Length} of
   * some statuses (a 426 went out without one).
   */
  private NextAction respond(
      FilterChainContext ctx,
      HttpRequestPacket request,
      int status,
      String reason,
      HandshakeRefusal why) {
    stats.handshakeRefused(why);
    request.getResponse().setCommitted(true); // the rest of this request is dropped unread
    String extra = status == 426 ? "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n" : "";
    String response =
        "HTTP/1.1 "
            + status
            + " "
            + reason
            + "\r\nContent-Length: 0\r\nConnection: close\r\n"
            + extra
            + "\r\n";
    Connection<?> c = ctx.getConnection();
    ctx.write(
        Buffers.wrap(c.getMemoryManager(), response.getBytes(StandardCharsets.US_ASCII)),
        closeAfterWrite(c));
    return ctx.getStopAction();
  }

  @SuppressWarnings("rawtypes") // Grizzly's FilterChainContext.write takes a raw WriteResult
  private static CompletionHandler<WriteResult> closeAfterWrite(Connection<?> c) {
    return new EmptyCompletionHandler<WriteResult>() {
      @Override
      public void completed(WriteResult result) {
        c.closeSilently();
      }

      @Override
      public void failed(Throwable throwable) {
        c.terminateSilently();
      }
    };
  }

  private static Map<String, List<String>> headers(HttpRequestPacket request) {
    Map<String, List<String>> headers = new HashMap<>();
    for (String name : request.getHeaders().names()) {
      List<String> values = new ArrayList<>();
      request.getHeaders().values(name).forEach(values::add);
      headers.put(name, values);
    }
    return headers;
  }

  private static Map<String, List<String>> parameters(HttpRequestPacket request) {
    Parameters parameters = new Parameters();
    parameters.setQuery(request.getQueryStringDC());
    parameters.setQueryStringEncoding(StandardCharsets.UTF_8);
    Map<String, List<String>> map = new HashMap<>();
    for (String name : parameters.getParameterNames()) {
      map.put(name, Arrays.asList(parameters.getParameterValues(name)));
    }
    return map;
  }
}
