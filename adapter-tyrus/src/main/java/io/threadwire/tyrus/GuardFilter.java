package io.threadwire.tyrus;

import io.threadwire.UserId;
import io.threadwire.spi.MessagingListener;
import io.threadwire.spi.MessagingListener.HandshakeRefusal;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.glassfish.grizzly.CloseType;
import org.glassfish.grizzly.Closeable;
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
import org.glassfish.grizzly.http.HttpResponsePacket;
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
 *   <li>the handshake gate: origin allow-list and {@link HandshakeAuthenticator}, answered with a
 *       complete {@code 403} response and a closed socket (Tyrus leaves a refused handshake's
 *       response unterminated, so clients hang);
 *   <li>the frame-size limit, from each frame's header, before Tyrus buffers it: too big closes
 *       with 1009 at once;
 *   <li>the TCP connection behind each session, so a stop can wait for close frames to flush and a
 *       cut-off client that never reads can be dropped.
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
  private static final Attribute<FrameSizeGuard> SIZE_GUARD =
      Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute("threadwire.frameSizeGuard");
  private static final byte[] TOO_BIG = FrameSizeGuard.closeFrame(1009, "frame too big");

  private final TyrusSettings settings;
  private final HandshakeAuthenticator authenticator;
  private final MessagingListener listener;
  private final Set<Connection<?>> open = ConcurrentHashMap.newKeySet();

  GuardFilter(TyrusSettings settings, HandshakeAuthenticator authenticator) {
    this(settings, authenticator, MessagingListener.none());
  }

  GuardFilter(
      TyrusSettings settings, HandshakeAuthenticator authenticator, MessagingListener listener) {
    this.settings = settings;
    this.authenticator = authenticator;
    this.listener = listener;
  }

  /** Who a handshake was admitted as, and the TCP connection it came on. */
  record Admission(UserId user, Connection<SocketAddress> connection) {}

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
    return open.size();
  }

  /** Drops every TCP connection at once. */
  void terminateAll() {
    for (Connection<?> c : open) {
      c.terminateSilently();
    }
  }

  @Override
  public NextAction handleAccept(FilterChainContext ctx) throws IOException {
    Connection<?> c = ctx.getConnection();
    open.add(c);
    org.glassfish.grizzly.CloseListener<Closeable, CloseType> forget =
        (closeable, type) -> open.remove(c);
    c.addCloseListener(forget);
    return ctx.getInvokeAction();
  }

  @Override
  public NextAction handleRead(FilterChainContext ctx) throws IOException {
    if (!(ctx.getMessage() instanceof HttpContent content)) {
      return ctx.getInvokeAction();
    }
    Connection<?> connection = ctx.getConnection();
    FrameSizeGuard guard = SIZE_GUARD.get(connection);
    if (guard != null) {
      if (guard.accept(content.getContent())) {
        return ctx.getInvokeAction();
      }
      LOG.info(
          "connection from {} sent a frame over {} bytes: closing with 1009",
          connection.getPeerAddress(),
          settings.maxFrameBytes());
      ctx.write(Buffers.wrap(connection.getMemoryManager(), TOO_BIG), closeAfterWrite(connection));
      return ctx.getStopAction();
    }
    HttpHeader header = content.getHttpHeader();
    if (!header.isRequest() || !"websocket".equalsIgnoreCase(header.getUpgrade())) {
      return ctx.getInvokeAction();
    }
    HttpRequestPacket request = (HttpRequestPacket) header;
    CURRENT.remove();
    if (!settings.path().equals(request.getRequestURI())) {
      listener.handshakeRefused(HandshakeRefusal.UNKNOWN_PATH); // metrics hook (issue 15)
      return respond(ctx, request, 404, "Not Found");
    }
    String origin = request.getHeader("Origin");
    if (origin != null && !settings.isOriginAllowed(origin)) {
      LOG.info("handshake refused: origin {} is not allowed", printable(origin));
      listener.handshakeRefused(HandshakeRefusal.ORIGIN_NOT_ALLOWED); // metrics hook (issue 15)
      return respond(ctx, request, 403, "Forbidden");
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
      listener.handshakeRefused(HandshakeRefusal.NOT_AUTHENTICATED); // metrics hook (issue 15)
      return respond(ctx, request, 403, "Forbidden");
    }
    FrameSizeGuard newGuard = new FrameSizeGuard(settings.maxFrameBytes());
    SIZE_GUARD.set(connection, newGuard);
    if (!newGuard.accept(content.getContent())) {
      ctx.write(Buffers.wrap(connection.getMemoryManager(), TOO_BIG), closeAfterWrite(connection));
      return ctx.getStopAction();
    }
    CURRENT.set(new Admission(user.get(), tcp(connection)));
    return ctx.getInvokeAction();
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

  /** Answers the handshake with a complete, empty response and closes the socket. */
  private NextAction respond(
      FilterChainContext ctx, HttpRequestPacket request, int status, String reason) {
    HttpResponsePacket response = request.getResponse();
    response.setStatus(status);
    response.setReasonPhrase(reason);
    response.setContentLength(0);
    response.addHeader("Connection", "close");
    ctx.write(
        HttpContent.builder(response).last(true).build(), closeAfterWrite(ctx.getConnection()));
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
      List<String> values = new java.util.ArrayList<>();
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
