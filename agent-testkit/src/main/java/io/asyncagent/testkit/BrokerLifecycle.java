package io.asyncagent.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;

/**
 * Stops and restarts single brokers of a running test cluster, behind {@link EmbeddedKafka#stopBroker(int)} and
 * {@link EmbeddedKafka#startBroker(int)}.
 *
 * <p>The 4.1.1 test kit has no restart method (4.4 adds {@code restartBroker}, which builds a new server), so this
 * drives {@code kafka.server.BrokerServer} directly. Calling {@code startup()} again on the instance that was shut
 * down works in 4.1.1: it builds the broker's components afresh, and the kit's socket factory binds the port number
 * its listener had before. Two catches, both measured on 4.1.1:
 *
 * <ul>
 *   <li>The controller refuses the new incarnation ({@code DuplicateBrokerRegistrationException: Another broker is
 *       registered with that broker id. If the broker was recently restarted this should self-resolve once the
 *       heartbeat manager expires the broker's session.}) until the old session expires, {@code
 *       broker.session.timeout.ms} (9 s) after the last heartbeat. {@code startup()} retries every 2 s, so a restart
 *       right after a stop took 10.2 s. Unregistering the stopped broker first, as for a retired broker, lets the new
 *       incarnation register at once (0.2 to 0.7 s). Its log directories are untouched, so it returns with its data.
 *       The outage itself is unchanged: until the restart the controller sees a fenced broker, as in production.
 *   <li>Only the listeners the kit pre-binds (its own broker and controller listeners) get their port back. Any other,
 *       such as the SASL and TLS listeners {@link SecureListeners} adds, binds port 0 again and gets a new port.
 * </ul>
 */
final class BrokerLifecycle {
  /** How long {@link #start(int)} waits for the brokers to be ready. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final KafkaClusterTestKit cluster;
  private final List<Integer> ids;
  private final Set<Integer> stopped = new TreeSet<>(); // guarded by this
  private boolean closed; // guarded by this

  BrokerLifecycle(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
    this.ids = List.copyOf(new TreeSet<>(cluster.brokers().keySet()));
  }

  /** The broker ids, ascending. */
  List<Integer> ids() {
    return ids;
  }

  /** Whether broker {@code id} has not been stopped here, and the cluster is not closed. */
  synchronized boolean isRunning(int id) {
    broker(id);
    return !closed && !stopped.contains(id);
  }

  /** Refuses every later stop and start; the caller then closes the cluster. */
  synchronized void close() {
    closed = true;
  }

  /** Shuts broker {@code id} down in a controlled way: its partition leaderships move to other brokers first. */
  synchronized void stop(int id, Duration timeout) {
    BrokerServer broker = openBroker(id);
    if (stopped.contains(id)) {
      throw new IllegalStateException("broker " + id + " is already stopped");
    }
    broker.shutdown(timeout); // past the timeout, the broker shuts down without waiting for the controller
    broker.awaitShutdown();
    stopped.add(id);
  }

  /**
   * Starts broker {@code id} again and waits until every running broker sees every running broker alive (unfenced),
   * the condition {@code KafkaClusterTestKit.waitForReadyBrokers()} ends with, but bounded and ignoring brokers that
   * are still stopped.
   */
  synchronized void start(int id) {
    BrokerServer broker = openBroker(id);
    if (!stopped.contains(id)) {
      throw new IllegalStateException("broker " + id + " is already running");
    }
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    unregister(id);
    try {
      broker.startup();
    } catch (RuntimeException e) {
      // BrokerServer.startup() shuts the broker down again before it rethrows, so it counts as stopped still.
      throw new IllegalStateException("broker " + id + " failed to start again: " + e, e);
    }
    stopped.remove(id);
    List<Integer> running = ids.stream().filter(i -> !stopped.contains(i)).toList();
    String what = "brokers " + running + " to be ready after restarting broker " + id;
    while (!allSeeAllAlive(running)) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("timed out after " + START_TIMEOUT + " waiting for " + what);
      }
      LockSupport.parkNanos(PAUSE_NANOS);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what);
      }
    }
  }

  private BrokerServer openBroker(int id) {
    if (closed) {
      throw new IllegalStateException("this embedded Kafka cluster is closed");
    }
    return broker(id);
  }

  private BrokerServer broker(int id) {
    BrokerServer broker = cluster.brokers().get(id);
    if (broker == null) {
      throw new IllegalArgumentException("no broker with id " + id + "; the broker ids are " + ids);
    }
    return broker;
  }

  /** Removes the stopped broker's registration, so the controller accepts its new incarnation at once. */
  private void unregister(int id) {
    // The brokers may all be down, so this goes to the controller directly.
    try (Admin controller =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, cluster.bootstrapControllers()))) {
      new AdminCalls(controller, EmbeddedKafka.OPERATION_TIMEOUT)
          .await(controller.unregisterBroker(id).all(), "unregister broker " + id + " before restarting it");
    }
  }

  private boolean allSeeAllAlive(List<Integer> running) {
    for (int observer : running) {
      BrokerServer broker = cluster.brokers().get(observer);
      for (int id : running) {
        if (!broker.metadataCache().hasAliveBroker(id)) {
          return false;
        }
      }
    }
    return true;
  }
}
