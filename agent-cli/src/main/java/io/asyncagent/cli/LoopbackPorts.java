package io.asyncagent.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds ports on 127.0.0.1 that nobody listens on; a seam so tests can hand out a port that is taken. */
@FunctionalInterface
interface LoopbackPorts {

  /**
   * Binds port 0 on 127.0.0.1 twice at the same time (so the two ports differ), reads the ports and closes the
   * sockets. Another process may take a port before the caller binds it; callers retry.
   */
  LoopbackPorts SYSTEM = () -> {
    try (ServerSocket first = bindAnyPort(); ServerSocket second = bindAnyPort()) {
      return new int[] {first.getLocalPort(), second.getLocalPort()};
    } catch (IOException e) {
      throw new UncheckedIOException("Could not find two free ports on 127.0.0.1", e);
    }
  };

  /** Returns two distinct ports: the broker's, then the controller's. */
  int[] pickTwo();

  private static ServerSocket bindAnyPort() throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 1);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }
}
