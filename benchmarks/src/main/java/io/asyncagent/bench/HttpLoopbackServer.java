package io.asyncagent.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * P2's loopback HTTP server: Netty (epoll where it loads, NIO otherwise) on 127.0.0.1, answering every request —
 * any method, any path — with {@code 200} and an empty body, keeping the connection open. It reads the request
 * body and drops it. It runs in a JVM of its own ({@link #startProcess}), so that its heap, GC and JIT are
 * not the client's; {@link #main} is that JVM's entry point.
 */
final class HttpLoopbackServer implements HttpRunningServer {
  private static final String READY = "P2-SERVER-LISTENING ";
  private static final String COUNTS = "P2-SERVER-COUNTS ";

  private final EventLoopGroup group;
  private final Channel channel;
  private final AtomicLong served = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong bodyBytes = new AtomicLong();
  private final String transport;

  private HttpLoopbackServer(int threads) throws InterruptedException {
    boolean epoll = Epoll.isAvailable();
    this.transport = epoll ? "epoll" : "NIO";
    this.group = new MultiThreadIoEventLoopGroup(threads,
        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            accepted.incrementAndGet();
            channel.pipeline().addLast(new HttpServerCodec(), new Answer(served, bodyBytes));
          }
        });
    this.channel = bootstrap.bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
  }

  /** Starts a server in this JVM, with {@code threads} event-loop threads. */
  static HttpLoopbackServer start(int threads) throws InterruptedException {
    return new HttpLoopbackServer(threads);
  }

  @Override
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public String transport() {
    return transport;
  }

  @Override
  public long cpuNanos() {
    return -1;
  }

  @Override
  public long[] counts() {
    return new long[] {served.get(), accepted.get(), bodyBytes.get()};
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Answers 200 with an empty body once a request has been read whole. */
  private static final class Answer extends SimpleChannelInboundHandler<HttpObject> {
    private final AtomicLong served;
    private final AtomicLong bodyBytes;
    private boolean keepAlive = true;

    Answer(AtomicLong served, AtomicLong bodyBytes) {
      this.served = served;
      this.bodyBytes = bodyBytes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, HttpObject message) {
      if (message instanceof HttpRequest request) {
        keepAlive = HttpUtil.isKeepAlive(request);
      }
      if (message instanceof HttpContent content) {
        bodyBytes.addAndGet(content.content().readableBytes());
      }
      if (message instanceof LastHttpContent) {
        served.incrementAndGet();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
            Unpooled.EMPTY_BUFFER);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        if (keepAlive) {
          context.write(response);
        } else {
          response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
          context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
      context.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      context.close();
    }
  }

  /**
   * The server in a JVM of its own, started with {@code java} (the path of a {@code java} launcher) and this
   * JVM's class path. It stops when {@link #close} closes its standard input, or is killed after 5 s.
   */
  static final class Child implements HttpRunningServer {
    private final Process process;
    private final int port;
    private final String transport;
    private final PrintWriter commands;
    private final BlockingQueue<long[]> answers;

    private Child(Process process, int port, String transport, BlockingQueue<long[]> answers) {
      this.process = process;
      this.port = port;
      this.transport = transport;
      this.commands = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
      this.answers = answers;
    }

    @Override
    public int port() {
      return port;
    }

    @Override
    public String transport() {
      return transport;
    }

    /** The CPU time the server's JVM has used so far, or -1 when the OS does not tell. */
    @Override
    public long cpuNanos() {
      return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /** Asks the child; {-1, -1} if it does not answer within 5 s. */
    @Override
    public synchronized long[] counts() {
      answers.clear();
      commands.println("COUNTS");
      commands.flush();
      try {
        long[] counts = answers.poll(5, TimeUnit.SECONDS);
        return counts == null ? new long[] {-1, -1, -1} : counts;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new long[] {-1, -1, -1};
      }
    }

    @Override
    public void close() {
      try {
        commands.close();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Starts the server in a child JVM and waits (at most 30 s) until it listens. */
  static Child startProcess(Path java, int threads, List<String> jvmOptions) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), HttpLoopbackServer.class.getName(),
        Integer.toString(threads)));
    Process process = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    // readLine blocks; a watchdog kills the child if it never says it listens.
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(30_000);
        process.destroyForcibly();
      } catch (InterruptedException done) {
        // it answered in time
      }
    }, "p2-server-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    String line;
    try {
      while ((line = out.readLine()) != null && !line.startsWith(READY)) {
        // skip anything printed before
      }
    } finally {
      watchdog.interrupt();
    }
    if (line == null) {
      process.destroyForcibly();
      throw new IOException("the HTTP server's JVM ended before it listened (exit " + waitExit(process) + ")");
    }
    String[] fields = line.substring(READY.length()).trim().split(" ");
    // Read what it prints later: its answers to COUNTS, and anything else, so that it never blocks on a pipe.
    BlockingQueue<long[]> answers = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try {
        String printed;
        while ((printed = out.readLine()) != null) {
          if (printed.startsWith(COUNTS)) {
            String[] counts = printed.substring(COUNTS.length()).trim().split(" ");
            answers.add(new long[] {Long.parseLong(counts[0]), Long.parseLong(counts[1]), Long.parseLong(counts[2])});
          }
        }
      } catch (IOException ended) {
        // the server is gone
      }
    }, "p2-server-stdout");
    reader.setDaemon(true);
    reader.start();
    return new Child(process, Integer.parseInt(fields[0]), fields.length > 1 ? fields[1] : "?", answers);
  }

  private static String waitExit(Process process) {
    try {
      return process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  /**
   * The child JVM: {@code HttpLoopbackServer THREADS}. Prints {@code P2-SERVER-LISTENING PORT TRANSPORT}, then
   * serves until its standard input ends (the parent closed it, or died). A line {@code COUNTS} on its standard
   * input makes it print {@code P2-SERVER-COUNTS REQUESTS CONNECTIONS BODY_BYTES}.
   */
  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    try (HttpLoopbackServer server = start(threads)) {
      System.out.println(READY + server.port() + " " + server.transport());
      System.out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String command;
      while ((command = in.readLine()) != null) {
        if (command.trim().equals("COUNTS")) {
          long[] counts = server.counts();
          System.out.println(COUNTS + counts[0] + " " + counts[1] + " " + counts[2]);
          System.out.flush();
        }
      }
    }
  }
}
