package io.asyncagent.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks free ports for listeners that must keep their port across restarts, such as {@link ReplicatedKafka}'s
 * proxied listeners.
 *
 * <p>A port found by binding port 0 and closing again is an ephemeral port: the kernel hands the same range out to
 * every other {@code bind(0)} and to the local end of every outgoing connection, and on a busy machine one of them
 * takes it before the broker binds it again ({@code Address already in use} was seen on the first try). So ports are
 * drawn at random <em>below</em> the ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range}, 32768–60999 by
 * default on Linux), where only a program asking for that very number can collide, and each is checked by binding it.
 */
final class FixedPorts {
  private static final int LOWEST = 10_000;
  private static final int DEFAULT_EPHEMERAL_START = 32_768;
  private static final int ATTEMPTS = 200;

  private FixedPorts() {}

  /**
   * Returns {@code count} distinct ports that were free on {@code host} a moment ago.
   *
   * @throws IllegalStateException if that many were not found in a few hundred tries
   */
  static List<Integer> pick(String host, int count) {
    int below = ephemeralStart();
    List<Integer> ports = new ArrayList<>();
    for (int attempt = 0; attempt < ATTEMPTS && ports.size() < count; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
      if (!ports.contains(port) && isFree(host, port)) {
        ports.add(port);
      }
    }
    if (ports.size() < count) {
      throw new IllegalStateException("found only " + ports.size() + " of " + count + " free ports between "
          + LOWEST + " and " + below + " on " + host + " in " + ATTEMPTS + " tries");
    }
    return List.copyOf(ports);
  }

  private static boolean isFree(String host, int port) {
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(host))) {
      return probe.getLocalPort() == port;
    } catch (IOException taken) {
      return false;
    }
  }

  private static int ephemeralStart() {
    try {
      String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"), UTF_8).trim().split("\\s+");
      int start = Integer.parseInt(range[0]);
      return start > LOWEST + 1_000 ? start : DEFAULT_EPHEMERAL_START;
    } catch (IOException | RuntimeException notLinux) {
      return DEFAULT_EPHEMERAL_START;
    }
  }
}
