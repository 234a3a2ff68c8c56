package io.asyncagent.testkit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP proxy on loopback that forwards every connection to one target, and can be told at run time to misbehave
 * the way networks do: add latency, swallow traffic, or cut connections.
 *
 * <p>It listens on {@code 127.0.0.1} on a free port. For each connection it accepts it opens one to the target and
 * copies bytes both ways. What it does with them depends on its {@linkplain Mode mode}, which may change at any time
 * and applies at once to connections already open as well as to new ones:
 *
 * <ul>
 *   <li>{@link #pass()}: forwards bytes as they come (the default);
 *   <li>{@link #delay(Duration)}: forwards each chunk of bytes that long after it was read, in order, in both
 *       directions; a round trip therefore takes twice the delay more;
 *   <li>{@link #blackHole()}: accepts connections and reads from them, but forwards nothing, like a network partition:
 *       peers see no error, only silence. What was read is held (up to 1 MiB per direction of a connection, beyond
 *       which the proxy stops reading and TCP's flow control stops the sender), and forwarded in order when the mode
 *       changes back, as TCP would retransmit it once the partition heals;
 *   <li>{@link #drop()}: closes every open connection with a reset, and resets new ones as soon as they are accepted,
 *       like a peer that went away.
 * </ul>
 *
 * <p>The proxy knows nothing of the protocol it carries. A Kafka client that bootstraps through a proxy still
 * connects to the addresses brokers advertise, so to put a proxy between a client and every broker each broker must
 * advertise its proxy's address; {@link ReplicatedKafka} does that.
 *
 * <p>Each connection runs on four daemon threads named {@code tcp-proxy-<port>-<n>-...} (a reader and a writer per
 * direction): simple, and plenty for the tens of connections of a test. All methods are thread-safe.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start(new InetSocketAddress("127.0.0.1", brokerPort))) {
 *   // point the client at proxy.address()
 *   proxy.blackHole();
 *   ...
 *   proxy.pass();
 * }
 * }</pre>
 */
public final class TcpProxy implements AutoCloseable {
  /** What a proxy does with the bytes it carries; see {@link TcpProxy}. */
  public enum Mode {
    /** Forward bytes as they come. */
    PASS,
    /** Forward each chunk of bytes a fixed time after it was read. */
    DELAY,
    /** Accept and read, but forward nothing until the mode changes. */
    BLACK_HOLE,
    /** Reset every connection. */
    DROP
  }

  private static final String HOST = "127.0.0.1";
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final int CHUNK_BYTES = 16 * 1024;
  /** Chunks held per direction of a connection: 1 MiB. */
  private static final int HELD_CHUNKS = 64;

  private final InetSocketAddress target;
  private final ServerSocket server;
  private final Thread acceptor;
  private final Set<ProxiedConnection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Guards mode changes; writers wait on {@link #changed} for the mode to let them write. */
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private volatile Mode mode = Mode.PASS;
  private volatile long delayNanos;

  private TcpProxy(InetSocketAddress target) {
    this.target = target;
    try {
      this.server = new ServerSocket(0, 128, InetAddress.getByName(HOST));
    } catch (IOException e) {
      throw new UncheckedIOException("could not bind a TCP proxy to " + HOST, e);
    }
    this.acceptor = new Thread(this::acceptLoop, "tcp-proxy-" + port() + "-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Starts a proxy to {@code target}, in {@link Mode#PASS}. The target need not be listening yet: a connection
   * accepted while it cannot be reached is closed at once.
   *
   * @param target where connections go, such as {@code new InetSocketAddress("127.0.0.1", 9092)}
   * @return the running proxy; close it when done
   * @throws NullPointerException if {@code target} is null
   * @throws UncheckedIOException if no loopback port could be bound
   */
  public static TcpProxy start(InetSocketAddress target) {
    return new TcpProxy(requireNonNull(target, "target"));
  }

  /**
   * Returns the port the proxy listens on, on {@code 127.0.0.1}.
   *
   * @return the port
   */
  public int port() {
    return server.getLocalPort();
  }

  /**
   * Returns the address clients connect to.
   *
   * @return such as {@code 127.0.0.1:41234}
   */
  public String address() {
    return HOST + ":" + port();
  }

  /**
   * Returns where the proxy forwards connections.
   *
   * @return the target given to {@link #start(InetSocketAddress)}
   */
  public InetSocketAddress target() {
    return target;
  }

  /** Forwards bytes as they come again, releasing what a black hole held and what a delay still holds. */
  public void pass() {
    setMode(Mode.PASS, 0);
  }

  /**
   * Forwards each chunk of bytes {@code delay} after it was read, in both directions, keeping their order.
   *
   * @param delay the delay, {@code > 0}; a round trip takes twice as long more
   * @throws NullPointerException if {@code delay} is null
   * @throws IllegalArgumentException {@code delay must be > 0, but was PT0S}
   */
  public void delay(Duration delay) {
    requireNonNull(delay, "delay");
    if (delay.isZero() || delay.isNegative()) {
      throw new IllegalArgumentException("delay must be > 0, but was " + delay);
    }
    setMode(Mode.DELAY, Await.saturatedNanos(delay));
  }

  /** Forwards nothing from now on, holding what it reads, until {@link #pass()} or {@link #delay(Duration)}. */
  public void blackHole() {
    setMode(Mode.BLACK_HOLE, 0);
  }

  /** Resets every open connection, and every new one as soon as it is accepted, until the mode changes. */
  public void drop() {
    setMode(Mode.DROP, 0);
    for (ProxiedConnection connection : connections) {
      connection.close(true);
    }
  }

  /**
   * Returns the current mode.
   *
   * @return the mode last set; {@link Mode#PASS} at first
   */
  public Mode mode() {
    return mode;
  }

  /**
   * Returns how many connections the proxy has accepted since it started, including those it reset at once.
   *
   * @return the number of connections accepted
   */
  public int acceptedConnections() {
    return accepted.get();
  }

  /**
   * Returns how many connections are open: accepted, connected to the target, and not closed by either side.
   *
   * @return the number of open connections
   */
  public int openConnections() {
    return connections.size();
  }

  /**
   * Returns how many bytes the proxy has forwarded, both directions together. Bytes are counted as they are handed
   * to the socket, so whatever a peer has received is included.
   *
   * @return the number of bytes passed on to either side
   */
  public long bytesForwarded() {
    return forwarded.get();
  }

  /** Stops listening and closes every connection. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.close();
    } catch (IOException ignored) {
      // Closing a listening socket fails only if it is closed already.
    }
    for (ProxiedConnection connection : connections) {
      connection.close(false);
    }
    signalAll();
    try {
      acceptor.join(CONNECT_TIMEOUT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Returns {@code TcpProxy[127.0.0.1:41234 -> localhost/127.0.0.1:9092, PASS, 3 open]}. */
  @Override
  public String toString() {
    Mode current = mode;
    String shown = current == Mode.DELAY ? "DELAY " + Duration.ofNanos(delayNanos) : current.name();
    return "TcpProxy[" + address() + " -> " + target + ", " + shown + ", " + openConnections() + " open"
        + (closed.get() ? ", closed" : "") + "]";
  }

  private void setMode(Mode next, long nextDelayNanos) {
    lock.lock();
    try {
      delayNanos = nextDelayNanos;
      mode = next;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void signalAll() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void acceptLoop() {
    while (!closed.get()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // the server socket was closed
      }
      int number = accepted.incrementAndGet();
      if (mode == Mode.DROP) {
        reset(client);
        continue;
      }
      ProxiedConnection connection = new ProxiedConnection(this, client, port() + "-" + number);
      connections.add(connection);
      connection.start();
      if (closed.get()) {
        connection.close(false);
      } else if (mode == Mode.DROP) { // drop() ran between the check above and add(), and missed this one
        connection.close(true);
      }
    }
  }

  /** Connects {@code client} to the target; called on the connection's first thread, so accepting never waits. */
  Socket connectTarget() throws IOException {
    Socket upstream = new Socket();
    try {
      upstream.setTcpNoDelay(true);
      upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
      return upstream;
    } catch (IOException e) {
      upstream.close();
      throw e;
    }
  }

  void forgotten(ProxiedConnection connection) {
    connections.remove(connection);
  }

  void countForwarded(int bytes) {
    forwarded.addAndGet(bytes);
  }

  /**
   * Waits until a chunk read at {@code readAtNanos} may be written: at once in {@link Mode#PASS} (and {@link
   * Mode#DROP}, whose connections are being closed anyway), after the delay in {@link Mode#DELAY}, not while in {@link
   * Mode#BLACK_HOLE}.
   *
   * @return false if {@code open} turned false meanwhile
   */
  boolean awaitWritable(long readAtNanos, AtomicBoolean open) throws InterruptedException {
    lock.lock();
    try {
      while (open.get() && !closed.get()) {
        Mode current = mode;
        if (current == Mode.BLACK_HOLE) {
          changed.await();
        } else if (current == Mode.DELAY) {
          long remaining = readAtNanos + delayNanos - System.nanoTime();
          if (remaining <= 0) {
            return true;
          }
          changed.awaitNanos(remaining);
        } else {
          return true;
        }
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  static int chunkBytes() {
    return CHUNK_BYTES;
  }

  static int heldChunks() {
    return HELD_CHUNKS;
  }

  /** Closes a socket with a reset (linger 0) rather than an orderly close. */
  static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (SocketException ignored) {
      // Already closed: nothing to reset.
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing is best effort; the socket is unusable either way.
    }
  }
}
