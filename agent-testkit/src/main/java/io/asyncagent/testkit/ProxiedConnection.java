package io.asyncagent.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection through a {@link TcpProxy}: the accepted client socket, the socket to the target, and in each
 * direction a reader that queues what it reads and a writer that forwards it when the proxy's mode lets it.
 *
 * <p>Reading and writing are apart so that holding or delaying bytes never stops the proxy from noticing that a
 * peer closed, and so that a delay applies to each chunk from when it was read, not once per chunk in a row.
 */
final class ProxiedConnection {
  private static final Chunk END = new Chunk(new byte[0], -1);

  private final TcpProxy proxy;
  private final Socket client;
  private final String name;
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final AtomicInteger directionsEnded = new AtomicInteger();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private volatile Socket upstream;

  ProxiedConnection(TcpProxy proxy, Socket client, String name) {
    this.proxy = proxy;
    this.client = client;
    this.name = name;
  }

  void start() {
    spawn("tcp-proxy-" + name + "-connect", this::connectAndPipe);
  }

  /** Closes both sockets (with a reset if {@code reset}) and stops the threads. Idempotent. */
  void close(boolean reset) {
    if (!open.compareAndSet(true, false)) {
      return;
    }
    closeSocket(client, reset);
    Socket target = upstream;
    if (target != null) {
      closeSocket(target, reset);
    }
    for (Thread thread : threads) {
      if (thread != Thread.currentThread()) {
        thread.interrupt();
      }
    }
    proxy.forgotten(this);
  }

  private void connectAndPipe() {
    Socket target;
    try {
      client.setTcpNoDelay(true);
      target = proxy.connectTarget();
    } catch (IOException unreachable) {
      close(true); // as a client sees a target that refuses connections
      return;
    }
    upstream = target;
    if (!open.get()) { // closed while connecting
      closeSocket(target, false);
      return;
    }
    pipe("up", client, target);
    pipe("down", target, client);
  }

  private void pipe(String direction, Socket from, Socket to) {
    BlockingQueue<Chunk> held = new ArrayBlockingQueue<>(TcpProxy.heldChunks());
    spawn("tcp-proxy-" + name + "-" + direction + "-read", () -> read(from, held));
    spawn("tcp-proxy-" + name + "-" + direction + "-write", () -> write(held, to));
  }

  private void read(Socket from, BlockingQueue<Chunk> held) {
    byte[] buffer = new byte[TcpProxy.chunkBytes()];
    try {
      InputStream in = from.getInputStream();
      while (open.get()) {
        int read = in.read(buffer);
        if (read < 0) {
          held.put(END);
          return;
        }
        held.put(new Chunk(Arrays.copyOf(buffer, read), System.nanoTime()));
      }
    } catch (IOException | InterruptedException closed) {
      close(false);
    }
  }

  private void write(BlockingQueue<Chunk> held, Socket to) {
    try {
      OutputStream out = to.getOutputStream();
      while (open.get()) {
        Chunk chunk = held.take();
        if (chunk == END) {
          to.shutdownOutput();
          if (directionsEnded.incrementAndGet() == 2) {
            close(false);
          }
          return;
        }
        if (!proxy.awaitWritable(chunk.readAtNanos(), open)) {
          return;
        }
        // Counted first, so that once a peer has the bytes, bytesForwarded() includes them.
        proxy.countForwarded(chunk.bytes().length);
        out.write(chunk.bytes());
        out.flush();
      }
    } catch (IOException | InterruptedException closed) {
      close(false);
    }
  }

  private void spawn(String threadName, Runnable task) {
    Thread thread = new Thread(task, threadName);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  private static void closeSocket(Socket socket, boolean reset) {
    if (reset) {
      TcpProxy.reset(socket);
      return;
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing is best effort; the socket is unusable either way.
    }
  }

  /** Bytes read from one side, and when. */
  private record Chunk(byte[] bytes, long readAtNanos) {}
}
