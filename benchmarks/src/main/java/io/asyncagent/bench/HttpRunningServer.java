package io.asyncagent.bench;

/** P2's loopback server as it runs, in the harness's JVM or in a child JVM: see {@link HttpLoopbackServer}. */
interface HttpRunningServer extends AutoCloseable {

  int port();

  /** {@code epoll} or {@code NIO}. */
  String transport();

  /** The CPU time the server's JVM has used so far, or -1 when it cannot be told apart (in this JVM). */
  long cpuNanos();

  /** The requests answered, the connections accepted and the body bytes read so far; -1 each when unknown. */
  long[] counts();

  @Override
  void close();
}
