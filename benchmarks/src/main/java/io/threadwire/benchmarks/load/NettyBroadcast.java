package io.threadwire.benchmarks.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The same-run baseline: a WebSocket broadcast server written the idiomatic fast way on Netty 4.2,
 * one event loop thread (the server core), every connection a member of the one broadcast. A
 * message is encoded once into one {@link TextWebSocketFrame}; the loop drains what the publisher
 * queued since its last pass (the batch), writes {@code retainedDuplicate()} of each frame to each
 * channel with the void promise (no per-recipient callback), and flushes each channel once per
 * batch. Writability is respected: while any channel is above its high-water mark the loop stops
 * draining, and resumes when the last one drains below its low-water mark, so the server never
 * buffers more than one batch above the mark per channel. A message counts as done (releasing the
 * publisher's window) once it has been written to every channel.
 */
final class NettyBroadcast implements AutoCloseable {

  private final EventLoopGroup group;
  private final EventLoop loop;
  private final Channel server;
  private final List<Channel> members = new ArrayList<>(); // on the loop only
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable drain = this::drain;
  private volatile int memberCount;
  private int unwritable; // on the loop only
  private boolean draining; // on the loop only
  private final TextWebSocketFrame[] batch = new TextWebSocketFrame[256];
  private final Runnable[] batchDone = new Runnable[256];

  private record Pending(TextWebSocketFrame frame, Runnable done) {}

  private NettyBroadcast(EventLoopGroup group, Channel server) {
    this.group = group;
    this.loop = group.next();
    this.server = server;
  }

  /** Starts the server on {@code host}, an ephemeral port, path {@code path}, one loop thread. */
  static NettyBroadcast start(String host, String path) throws InterruptedException {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    NettyBroadcast[] self = new NettyBroadcast[1];
    Channel server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(8192))
                        .addLast(new WebSocketServerProtocolHandler(path))
                        .addLast(self[0].new Member());
                  }
                })
            .bind(new InetSocketAddress(host, 0))
            .sync()
            .channel();
    self[0] = new NettyBroadcast(group, server);
    return self[0];
  }

  /** Returns the bound port. */
  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Returns the number of channels past the WebSocket handshake. */
  int members() {
    return memberCount;
  }

  /**
   * Broadcasts {@code text} as one text frame to every member; runs {@code done} on the loop once
   * it is written to all of them. Any thread.
   */
  void broadcast(String text, Runnable done) {
    ByteBuf data = ByteBufUtil.writeUtf8(ByteBufAllocator.DEFAULT, text);
    queue.add(new Pending(new TextWebSocketFrame(data), done));
    if (scheduled.compareAndSet(false, true)) {
      loop.execute(drain);
    }
  }

  private void drain() {
    scheduled.set(false);
    if (draining) {
      return; // re-entered from a writability change during a flush: the outer pass goes on
    }
    draining = true;
    try {
      drainBatches();
    } finally {
      draining = false;
    }
  }

  private void drainBatches() {
    while (unwritable == 0) {
      int n = 0;
      for (Pending p; n < batch.length && (p = queue.poll()) != null; n++) {
        batch[n] = p.frame;
        batchDone[n] = p.done;
      }
      if (n == 0) {
        return;
      }
      for (int c = 0, size = members.size(); c < size; c++) {
        Channel ch = members.get(c);
        for (int i = 0; i < n; i++) {
          ch.write(batch[i].retainedDuplicate(), ch.voidPromise());
        }
        ch.flush();
      }
      for (int i = 0; i < n; i++) {
        batch[i].release();
        batch[i] = null;
        batchDone[i].run();
        batchDone[i] = null;
      }
    }
    // Paused: Member.channelWritabilityChanged resumes once every channel drained.
  }

  /** The last handler of each channel: membership, writability, inbound frames dropped. */
  private final class Member extends ChannelInboundHandlerAdapter {
    private boolean counted; // this channel is in unwritable

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
        members.add(ctx.channel());
        memberCount = members.size();
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      boolean writable = ctx.channel().isWritable();
      if (!writable && !counted) {
        counted = true;
        unwritable++;
      } else if (writable && counted) {
        counted = false;
        if (--unwritable == 0) {
          drain();
        }
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (members.remove(ctx.channel())) {
        memberCount = members.size();
      }
      if (counted) {
        counted = false;
        if (--unwritable == 0) {
          loop.execute(drain);
        }
      }
      ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void close() {
    server.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
