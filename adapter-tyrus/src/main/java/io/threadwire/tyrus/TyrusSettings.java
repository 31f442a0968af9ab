package io.threadwire.tyrus;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Immutable settings of a {@link TyrusThreadMessaging}: where the server listens, who may connect
 * and every limit it enforces on a connection. Build them with {@link #builder()}, or read them
 * with {@link TyrusConfig#tyrusSettings(com.typesafe.config.Config)}; every default is listed in
 * the module's {@code reference.conf} and on {@link #defaults()}.
 *
 * @param host the address to bind, honoured exactly (default {@code 127.0.0.1}); {@code 0.0.0.0}
 *     binds every interface
 * @param port the port to bind; 0 picks an ephemeral port, see {@link
 *     TyrusThreadMessaging#boundPort()} (default {@value #DEFAULT_PORT}, not the 8080 every Java
 *     web framework takes)
 * @param path the WebSocket endpoint path (default {@code /threads})
 * @param allowedOrigins the {@code Origin} header values accepted at the handshake, such as {@code
 *     https://app.example}; {@code "*"} accepts any. Default empty: no browser page may connect
 *     (cross-site WebSocket hijacking), a cross-origin handshake is answered 403 until its page's
 *     origin is listed. A handshake without an {@code Origin} header (a non-browser client) is
 *     always accepted: the allow-list protects browsers from cross-site use
 * @param tokenHeader the header carrying the access token, {@code Bearer } prefix optional (default
 *     {@code Authorization})
 * @param tokenQueryParameter the query parameter carrying the access token when the header is
 *     absent (default {@code access_token})
 * @param maxFrameBytes the largest message a client may send, in bytes, counted across all the
 *     frames of a fragmented message, text or binary; a frame announcing more, or a fragment that
 *     takes its message past it, closes the connection with 1009 (default 64 KiB)
 * @param maxQueuedFrames the most frames waiting to be written to one connection, the one in flight
 *     included; one more and the connection is closed with 1013 (default 1024)
 * @param maxQueuedBytes the most bytes of frames waiting to be written to one connection, as
 *     retained: the framed UTF-8 bytes, header included; beyond it the connection is closed with
 *     1013 (default 8 MiB)
 * @param writeTimeout how long one write may stay unacknowledged before the connection is closed
 *     with 1013 as a slow consumer (default 5s); keep it well below the hub's send timeout, so that
 *     a stalled client is named as failed in outcomes rather than merely counted as timed out
 * @param idleTimeout how long a connection may stay silent (no frame of any kind: data, ping or
 *     pong) before it is closed with 1000 (default 60s)
 * @param pingInterval how long a connection may stay silent before the server pings it (default
 *     25s)
 * @param rateLimit how many frames a client may send, every fragment and ping counted (default 20
 *     per second, bursts of 40, closed after 100 refused frames in a row)
 * @param closeGrace how long a closing connection may take to flush its close frame before its TCP
 *     connection is dropped: on stop, and after a slow consumer is cut off (default 5s)
 * @param ioThreads threads that write to clients, close connections and run the timer sweep
 *     (default 2)
 * @param handshakeTimeout how long a TCP connection may take from accept to a completed WebSocket
 *     upgrade; a connection still not upgraded then (silent, sending headers slowly, speaking
 *     another protocol, or idle after a refusal) is dropped without a response (default 10s)
 * @param maxPendingHandshakes the most TCP connections that have not completed the upgrade yet; one
 *     more and the oldest of them is dropped to make room (default 1000)
 * @param maxConnections the most TCP connections open at once, upgraded or not; one more is closed
 *     as soon as it is accepted. 0 (the default) derives it from the process's file descriptor
 *     limit, see {@link #connectionLimit()}: descriptors running out is what takes a server down
 * @param maxConnectionsPerAddress the most TCP connections open at once from one remote IP address;
 *     one more is closed as soon as it is accepted; 0 means no per-address limit (default 0:
 *     clients behind one proxy or NAT share an address)
 * @param maxTotalQueuedBytes the global outbound budget: the most bytes of frames queued for all
 *     connections together, each frame counted once however many connections it is queued for; past
 *     it the connections holding the most queued bytes are cut off with 1013 as slow consumers. 0
 *     (the default) derives it from the heap, see {@code maxTotalQueuedHeapPercent}
 * @param maxTotalQueuedHeapPercent the global outbound budget as a percentage of the JVM's maximum
 *     heap, used when {@code maxTotalQueuedBytes} is 0 (default 25, range 1-90)
 */
public record TyrusSettings(
    String host,
    int port,
    String path,
    List<String> allowedOrigins,
    String tokenHeader,
    String tokenQueryParameter,
    int maxFrameBytes,
    int maxQueuedFrames,
    long maxQueuedBytes,
    Duration writeTimeout,
    Duration idleTimeout,
    Duration pingInterval,
    RateLimit rateLimit,
    Duration closeGrace,
    int ioThreads,
    Duration handshakeTimeout,
    int maxPendingHandshakes,
    int maxConnections,
    int maxConnectionsPerAddress,
    long maxTotalQueuedBytes,
    int maxTotalQueuedHeapPercent) {

  /** The default port: not 8080, which every Java web framework takes. */
  public static final int DEFAULT_PORT = 8431;

  private static final TyrusSettings DEFAULTS = new Builder().build();

  /**
   * Validates every setting.
   *
   * @param allowedOrigins the {@code Origin} header values accepted at the handshake; {@code "*"}
   *     accepts any (default empty: no browser origin). A handshake without an {@code Origin}
   *     header (a non-browser client) is always accepted: the allow-list protects browsers from
   *     cross-site use
   * @param closeGrace how long a closing connection may take to flush its close frame before its
   *     TCP connection is dropped: on stop, and after a slow consumer is cut off (default 5s)
   * @param host the address to bind, honoured exactly (default {@code 127.0.0.1}); {@code 0.0.0.0}
   *     binds every interface
   * @param idleTimeout how long a connection may stay silent (no frame, no pong) before it is
   *     closed with 1000 (default 60s)
   * @param ioThreads threads that write to clients, close connections and run the timer sweep
   *     (default 2)
   * @param maxFrameBytes the largest frame a client may send, in bytes; a larger one closes the
   *     connection with 1009 (default 64 KiB)
   * @param maxQueuedBytes the most frame text waiting to be written to one connection, in
   *     characters (UTF-8 bytes for ASCII); beyond it the connection is closed with 1013 (default 8
   *     MiB)
   * @param maxQueuedFrames the most frames waiting to be written to one connection, the one in
   *     flight included; one more and the connection is closed with 1013 (default 1024)
   * @param path the WebSocket endpoint path (default {@code /threads})
   * @param pingInterval how long a connection may stay silent before the server pings it (default
   *     25s)
   * @param port the port to bind; 0 picks an ephemeral port, see {@link
   *     TyrusThreadMessaging#boundPort()} (default {@value #DEFAULT_PORT})
   * @param rateLimit how many frames a client may send (default 20 per second, bursts of 40, closed
   *     after 100 refused frames in a row)
   * @param tokenHeader the header carrying the access token, {@code Bearer } prefix optional
   *     (default {@code Authorization})
   * @param tokenQueryParameter the query parameter carrying the access token when the header is
   *     absent (default {@code access_token})
   * @param writeTimeout how long one write may stay unacknowledged before the connection is closed
   *     with 1013 as a slow consumer (default 5s); keep it well below the hub's send timeout, so
   *     that a stalled client is named as failed in outcomes rather than merely counted as timed
   *     out
   * @param handshakeTimeout how long a TCP connection may take to complete its WebSocket upgrade
   *     before it is dropped without an answer (default 10s)
   * @param maxPendingHandshakes the most connections that may be waiting to complete their upgrade;
   *     one more drops the oldest waiting one (default 1000)
   * @param maxConnections the most open TCP connections, upgraded or not; 0 derives it from the
   *     process's descriptor limit (see {@link #connectionLimit()}; default 0)
   * @param maxConnectionsPerAddress the most open TCP connections from one remote address; 0 turns
   *     the limit off (default 0)
   * @param maxTotalQueuedBytes the global outbound budget in bytes over every connection, each
   *     queued frame counted once; 0 derives it from the heap (default 0)
   * @param maxTotalQueuedHeapPercent the global outbound budget as a percentage of the maximum
   *     heap, used when {@code maxTotalQueuedBytes} is 0 (default 25)
   * @throws IllegalArgumentException naming the first setting out of range
   */
  public TyrusSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(rateLimit, "rateLimit");
    allowedOrigins = List.copyOf(allowedOrigins);
    Objects.requireNonNull(tokenHeader, "tokenHeader");
    Objects.requireNonNull(tokenQueryParameter, "tokenQueryParameter");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535, got " + port);
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/', got " + path);
    }
    atLeast(maxFrameBytes, 128, "maxFrameBytes");
    atLeast(maxQueuedFrames, 1, "maxQueuedFrames");
    atLeast(maxQueuedBytes, 1, "maxQueuedBytes");
    atLeast(ioThreads, 1, "ioThreads");
    positive(writeTimeout, "writeTimeout");
    positive(idleTimeout, "idleTimeout");
    positive(pingInterval, "pingInterval");
    positive(closeGrace, "closeGrace");
    positive(handshakeTimeout, "handshakeTimeout");
    atLeast(maxPendingHandshakes, 1, "maxPendingHandshakes");
    atLeast(maxConnections, 0, "maxConnections");
    atLeast(maxConnectionsPerAddress, 0, "maxConnectionsPerAddress");
    atLeast(maxTotalQueuedBytes, 0, "maxTotalQueuedBytes");
    atLeast(maxTotalQueuedHeapPercent, 1, "maxTotalQueuedHeapPercent");
    if (maxTotalQueuedHeapPercent > 90) {
      throw new IllegalArgumentException(
          "maxTotalQueuedHeapPercent must be <= 90, got " + maxTotalQueuedHeapPercent);
    }
  }

  /**
   * {@return the bound on open TCP connections: {@link #maxConnections()} if set, else nine tenths
   * of this process's file descriptor limit (at least 64 kept free for files, logs and outgoing
   * connections), or 10000 where the limit cannot be read}
   */
  public int connectionLimit() {
    if (maxConnections > 0) {
      return maxConnections;
    }
    long fds = -1;
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      fds = unix.getMaxFileDescriptorCount();
    }
    if (fds <= 0) {
      return 10_000;
    }
    long limit = Math.min(fds - 64, fds / 10 * 9);
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, limit));
  }

  /**
   * {@return the global outbound budget in bytes: {@link #maxTotalQueuedBytes()} if set, else
   * {@link #maxTotalQueuedHeapPercent()} of this JVM's maximum heap}
   */
  public long outboundBudgetBytes() {
    if (maxTotalQueuedBytes > 0) {
      return maxTotalQueuedBytes;
    }
    long heap = Runtime.getRuntime().maxMemory();
    if (heap == Long.MAX_VALUE) {
      heap = 4L << 30; // no limit reported: assume 4 GiB
    }
    return Math.max(1, heap / 100 * maxTotalQueuedHeapPercent);
  }

  /** {@return the defaults listed on this record} */
  public static TyrusSettings defaults() {
    return DEFAULTS;
  }

  /**
   * {@return the settings under {@code threadwire.tyrus} of {@code config}; see {@link
   * TyrusConfig#tyrusSettings}} Needs Typesafe Config on the classpath.
   *
   * @param config the configuration to read
   * @throws com.typesafe.config.ConfigException naming the first bad key
   */
  public static TyrusSettings fromConfig(com.typesafe.config.Config config) {
    return TyrusConfig.tyrusSettings(config);
  }

  /** {@return a builder starting from the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder starting from these settings} */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * {@return true if {@code origin} passes the allow-list; see {@link #allowedOrigins()}}
   *
   * @param origin the Origin header value
   */
  public boolean isOriginAllowed(String origin) {
    if (allowedOrigins.contains("*")) {
      return true;
    }
    for (String allowed : allowedOrigins) {
      if (allowed.equalsIgnoreCase(origin)) {
        return true;
      }
    }
    return false;
  }

  static void positive(Duration value, String name) {
    io.threadwire.spi.ConfigKeys.requirePositive(name, value);
  }

  static void atLeast(long value, long min, String name) {
    io.threadwire.spi.ConfigKeys.requireAtLeast(name, value, min);
  }

  /**
   * A token bucket over the frames one client sends, every frame counted (each fragment of a
   * message, pings and pongs): {@code burst} frames at once, refilled at {@code frames} per {@code
   * per}. A refused message is answered with a {@code rate_limited} error and dropped (a refused
   * fragment or control frame makes the next message refused); {@code closeAfter} refused frames in
   * a row close the connection with 1008.
   *
   * @param frames frames refilled per period, at least 1
   * @param per the refill period, positive
   * @param burst the bucket size, at least 1
   * @param closeAfter refused frames in a row that close the connection, at least 1
   */
  public record RateLimit(int frames, Duration per, int burst, int closeAfter) {

    /**
     * Validates the limit.
     *
     * @param burst the bucket size, at least 1
     * @param closeAfter refused frames in a row that close the connection, at least 1
     * @param frames frames refilled per period, at least 1
     * @param per the refill period, positive
     */
    public RateLimit {
      atLeast(frames, 1, "rateLimit.frames");
      positive(per, "rateLimit.per");
      atLeast(burst, 1, "rateLimit.burst");
      atLeast(closeAfter, 1, "rateLimit.closeAfter");
    }

    /** {@return the default: 20 frames per second, bursts of 40, closed after 100 refusals} */
    public static RateLimit defaults() {
      return new RateLimit(20, Duration.ofSeconds(1), 40, 100);
    }
  }

  /** Builds {@link TyrusSettings}; every setter names the record component it sets. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = DEFAULT_PORT;
    private String path = "/threads";
    private List<String> allowedOrigins = List.of();
    private String tokenHeader = "Authorization";
    private String tokenQueryParameter = "access_token";
    private int maxFrameBytes = 64 * 1024;
    private int maxQueuedFrames = 1024;
    private long maxQueuedBytes = 8L * 1024 * 1024;
    private Duration writeTimeout = Duration.ofSeconds(5);
    private Duration idleTimeout = Duration.ofSeconds(60);
    private Duration pingInterval = Duration.ofSeconds(25);
    private RateLimit rateLimit = RateLimit.defaults();
    private Duration closeGrace = Duration.ofSeconds(5);
    private int ioThreads = 2;
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private int maxPendingHandshakes = 1000;
    private int maxConnections = 0;
    private int maxConnectionsPerAddress = 0;
    private long maxTotalQueuedBytes = 0;
    private int maxTotalQueuedHeapPercent = 25;

    private Builder() {}

    private Builder(TyrusSettings s) {
      host = s.host;
      port = s.port;
      path = s.path;
      allowedOrigins = s.allowedOrigins;
      tokenHeader = s.tokenHeader;
      tokenQueryParameter = s.tokenQueryParameter;
      maxFrameBytes = s.maxFrameBytes;
      maxQueuedFrames = s.maxQueuedFrames;
      maxQueuedBytes = s.maxQueuedBytes;
      writeTimeout = s.writeTimeout;
      idleTimeout = s.idleTimeout;
      pingInterval = s.pingInterval;
      rateLimit = s.rateLimit;
      closeGrace = s.closeGrace;
      ioThreads = s.ioThreads;
      handshakeTimeout = s.handshakeTimeout;
      maxPendingHandshakes = s.maxPendingHandshakes;
      maxConnections = s.maxConnections;
      maxConnectionsPerAddress = s.maxConnectionsPerAddress;
      maxTotalQueuedBytes = s.maxTotalQueuedBytes;
      maxTotalQueuedHeapPercent = s.maxTotalQueuedHeapPercent;
    }

    /**
     * Sets {@link TyrusSettings#host()}.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder host(String value) {
      host = value;
      return this;
    }

    /**
     * Sets {@link TyrusSettings#port()}.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder port(int value) {
      port = value;
      return this;
    }

    /**
     * Sets {@link TyrusSettings#path()}.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder path(String value) {
      path = value;
      return this;
    }

    /**
     * Sets {@link TyrusSettings#allowedOrigins()}.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder allowedOrigins(List<String> value) {
      allowedOrigins = value;
      return this;
    }

    /**
     * Sets {@link TyrusSettings#tokenHeader()}.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder tokenHeader(String value) {
      tokenHeader = value;
      return this;
    }

    /**
     * Sets {@link TyrusSettings#tokenQueryParameter()}.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder tokenQueryParameter(String value) {
      tokenQueryParameter = value;
      return this;
    }

    /**
     * Sets {@link TyrusSettings#maxFrameBytes()}.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder maxFrameBytes(int value) {
      maxFrameBytes = value;
      return this;
    }

    /**
     * Sets {@link TyrusSettings#maxQueuedFrames()}.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder maxQueuedFrames(int value) {
      maxQueuedFrames = value;
      return this;
    }

    /**
     * Sets {@link TyrusSettings#maxQueuedBytes()}.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder maxQueuedBytes(long value) {
      maxQueuedBytes = value;
      return this;
    }

    /**
     * Sets {@link TyrusSettings#writeTimeout()}.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder writeTimeout(Duration value) {
      writeTimeout = value;
      return this;
    }

    /**
     * Sets {@link TyrusSettings#idleTimeout()}.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder idleTimeout(Duration value) {
      idleTimeout = value;
      return this;
    }

    /**
     * Sets {@link TyrusSettings#pingInterval()}.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder pingInterval(Duration value) {
      pingInterval = value;
      return this;
    }

    /**
     * Sets {@link TyrusSettings#rateLimit()}.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder rateLimit(RateLimit value) {
      rateLimit = value;
      return this;
    }

    /**
     * Sets {@link TyrusSettings#closeGrace()}.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder closeGrace(Duration value) {
      closeGrace = value;
      return this;
    }

    /**
     * Sets {@link TyrusSettings#ioThreads()}.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder ioThreads(int value) {
      ioThreads = value;
      return this;
    }

    /**
     * Sets {@link TyrusSettings#handshakeTimeout()}.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder handshakeTimeout(Duration value) {
      handshakeTimeout = value;
      return this;
    }

    /**
     * Sets {@link TyrusSettings#maxPendingHandshakes()}.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder maxPendingHandshakes(int value) {
      maxPendingHandshakes = value;
      return this;
    }

    /**
     * Sets {@link TyrusSettings#maxConnections()}; 0 derives it from the descriptor limit.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder maxConnections(int value) {
      maxConnections = value;
      return this;
    }

    /**
     * Sets {@link TyrusSettings#maxConnectionsPerAddress()}; 0 turns the limit off.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder maxConnectionsPerAddress(int value) {
      maxConnectionsPerAddress = value;
      return this;
    }

    /**
     * Sets {@link TyrusSettings#maxTotalQueuedBytes()}; 0 derives it from the heap.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder maxTotalQueuedBytes(long value) {
      maxTotalQueuedBytes = value;
      return this;
    }

    /**
     * Sets {@link TyrusSettings#maxTotalQueuedHeapPercent()}.
     *
     * @param value the new value
     * @return this builder
     */
    public Builder maxTotalQueuedHeapPercent(int value) {
      maxTotalQueuedHeapPercent = value;
      return this;
    }

    /**
     * {@return the settings}
     *
     * @throws IllegalArgumentException naming the first setting out of range
     */
    public TyrusSettings build() {
      return new TyrusSettings(
          host,
          port,
          path,
          allowedOrigins,
          tokenHeader,
          tokenQueryParameter,
          maxFrameBytes,
          maxQueuedFrames,
          maxQueuedBytes,
          writeTimeout,
          idleTimeout,
          pingInterval,
          rateLimit,
          closeGrace,
          ioThreads,
          handshakeTimeout,
          maxPendingHandshakes,
          maxConnections,
          maxConnectionsPerAddress,
          maxTotalQueuedBytes,
          maxTotalQueuedHeapPercent);
    }
  }
}
