package io.asyncagent.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Apache Kafka cluster (one KRaft broker and controller in one node) running inside this JVM, for the
 * demo command.
 *
 * <p>It uses Kafka's own server classes ({@code KafkaRaftServer}, formatted with {@code StorageTool}) instead of the
 * Kafka test kit, so that no test framework ends up on the CLI's runtime classpath. Every broker gets a fresh
 * temporary directory and two free loopback ports, so several can run side by side; nothing is kept after
 * {@link #close()}.
 *
 * <p>The broker is configured for one node: internal topics use replication factor 1, the consumer-offsets topic
 * has 5 partitions, new consumer groups are not delayed, topics are never created automatically, and
 * {@link #createTopic(String, int)} creates topics with replication factor 1.
 *
 * <p>Kafka's broker threads are not daemon threads, so always close a started broker, typically in a
 * try-with-resources block; {@link #close()} waits for them to finish. Once running, the broker behaves like a
 * standalone one, including halting the JVM on a fault Kafka deems fatal. The instance is thread-safe.
 */
public final class DemoBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DemoBroker.class);

  /** Bounds the whole start of one attempt: server startup plus the first successful metadata answer. */
  static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
  /** Bounds {@link #createTopic}: creation plus every partition getting a leader. */
  static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);
  /** The first attempt plus three retries when a port picked as free was taken before the broker bound it. */
  static final int MAX_START_ATTEMPTS = 4;

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
  private static final Duration ADMIN_CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final Object START_LOCK = new Object();

  private final Path directory;
  private final String bootstrapServers;
  private final KafkaRaftServer server;
  private final Admin admin;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DemoBroker(Path directory, String bootstrapServers, KafkaRaftServer server, Admin admin) {
    this.directory = directory;
    this.bootstrapServers = bootstrapServers;
    this.server = server;
    this.admin = admin;
  }

  /**
   * Formats a fresh temporary directory, starts the broker in this JVM and returns once it answers a metadata
   * request.
   *
   * <p>The broker listens on 127.0.0.1 on a free port (PLAINTEXT) and its controller on another (CONTROLLER). A
   * port found free can be taken by another process before the broker binds it; startup is then retried with new
   * ports, up to three times.
   *
   * <p>While the server starts, Kafka's process-wide {@code Exit} procedures are replaced so that a startup
   * failure cannot halt the JVM (Kafka's controller calls {@code Exit.halt(1)} on one); they are reset to Kafka's
   * defaults afterwards, and concurrent starts in one JVM run one after the other.
   *
   * @return a running broker; close it when done
   * @throws KafkaException if formatting fails, the broker fails to start, or it does not answer within 60 s; the
   *     temporary directory is deleted in every case
   * @throws UncheckedIOException if the temporary directory cannot be created or written
   * @throws InterruptException if the calling thread is interrupted while waiting for the broker
   */
  public static DemoBroker start() {
    return start(LoopbackPorts.SYSTEM);
  }

  static DemoBroker start(LoopbackPorts ports) {
    Objects.requireNonNull(ports, "ports");
    long started = System.nanoTime();
    Path directory = createTempDirectory();
    try {
      for (int attempt = 1; ; attempt++) {
        int[] picked = ports.pickTwo();
        Path attemptDirectory = directory.resolve("attempt-" + attempt);
        try {
          DemoBroker broker = startAttempt(directory, attemptDirectory, picked[0], picked[1]);
          LOG.info("Kafka broker started at {} in {} ms", broker.bootstrapServers,
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
          return broker;
        } catch (KafkaException e) {
          if (!isBindFailure(e)) {
            throw e;
          }
          if (attempt == MAX_START_ATTEMPTS) {
            throw new KafkaException("Kafka broker could not bind its ports in " + MAX_START_ATTEMPTS
                + " attempts; the last: " + e.getMessage(), e);
          }
          // Kafka has already logged the failure at ERROR; say that it is handled.
          LOG.info("Retrying with new ports: another process took port {} or {} before Kafka bound it",
              picked[0], picked[1]);
          deleteRecursively(attemptDirectory);
        }
      }
    } catch (RuntimeException e) {
      try {
        deleteRecursively(directory);
      } catch (RuntimeException deleteFailure) {
        e.addSuppressed(deleteFailure);
      }
      throw e;
    }
  }

  private static DemoBroker startAttempt(Path root, Path directory, int brokerPort, int controllerPort) {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    String bootstrapServers = "127.0.0.1:" + brokerPort;
    Properties properties = SingleNodeStorage.serverProperties(directory, brokerPort, controllerPort,
        STARTUP_TIMEOUT);
    SingleNodeStorage.format(directory, properties);

    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
    Admin admin = null;
    try {
      startWithoutHalting(server);
      admin = Admin.create(Map.of(
          AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
          AdminClientConfig.CLIENT_ID_CONFIG, "demo-broker-admin-" + brokerPort));
      awaitNodes(admin, deadline);
      return new DemoBroker(root, bootstrapServers, server, admin);
    } catch (RuntimeException e) {
      stopQuietly(server, admin, e);
      throw new KafkaException("Kafka broker at " + bootstrapServers + " (controller port " + controllerPort
          + ") failed to start: " + causeChain(e), e);
    }
  }

  /**
   * Runs {@code server.startup()}, which blocks until the broker is unfenced (bounded by
   * server.max.startup.time.ms), without letting a startup failure end the JVM.
   *
   * <p>Kafka treats any controller startup failure, a port taken between picking and binding included, as fatal
   * and calls {@code Exit.halt(1)}: the whole JVM would vanish without running a finally block. Kafka's exit and
   * halt procedures are process-wide and replaceable for exactly this purpose (its own tests do it), so they are
   * replaced while the server starts: a request is recorded and returns, Kafka then shuts the half-started server
   * down and rethrows the real cause, and the procedures are restored. Starts are serialized because of that
   * process-wide state. After startup, a fatal broker fault halts the JVM as it would a standalone broker.
   */
  private static void startWithoutHalting(KafkaRaftServer server) {
    synchronized (START_LOCK) {
      List<String> exitRequests = new CopyOnWriteArrayList<>();
      Exit.Procedure recordRequest = (statusCode, message) -> exitRequests.add("status " + statusCode
          + (message == null ? "" : " (" + message + ")"));
      Exit.setHaltProcedure(recordRequest);
      Exit.setExitProcedure(recordRequest);
      try {
        server.startup();
      } finally {
        Exit.resetHaltProcedure();
        Exit.resetExitProcedure();
      }
      if (!exitRequests.isEmpty()) {
        // A fault on one of the server's own threads; startup() itself returned normally.
        throw new KafkaException("a server thread asked to end the JVM with " + exitRequests
            + "; the ERROR log lines above say why");
      }
    }
  }

  private static void awaitNodes(Admin admin, long deadline) {
    DescribeClusterOptions options = new DescribeClusterOptions().timeoutMs((int) REQUEST_TIMEOUT.toMillis());
    Exception[] lastFailure = new Exception[1];
    boolean ready = await(deadline, () -> {
      try {
        return !admin.describeCluster(options).nodes().get().isEmpty();
      } catch (ExecutionException e) {
        lastFailure[0] = e;
        return false;
      }
    });
    if (!ready) {
      throw new KafkaException("no node in its metadata within " + STARTUP_TIMEOUT.toSeconds() + " s",
          lastFailure[0]);
    }
  }

  /** {@return the bootstrap servers of this broker, {@code 127.0.0.1:<port>} of its PLAINTEXT listener} */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Creates a topic with replication factor 1 and returns once every partition has a leader.
   *
   * @param name the topic name
   * @param partitions the number of partitions, at least 1
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code partitions} is less than 1
   * @throws IllegalStateException if this broker is closed
   * @throws KafkaException if the broker refuses the topic (for example because it exists) or its partitions have
   *     no leader within 30 s
   * @throws InterruptException if the calling thread is interrupted while waiting
   */
  public void createTopic(String name, int partitions) {
    Objects.requireNonNull(name, "name");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, but was " + partitions);
    }
    if (closed.get()) {
      throw new IllegalStateException("DemoBroker at " + bootstrapServers + " is closed");
    }
    long deadline = System.nanoTime() + TOPIC_TIMEOUT.toNanos();
    try {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all()
          .get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new KafkaException("Could not create topic '" + name + "' with " + partitions + " partitions: "
          + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaException("Could not create topic '" + name + "' within " + TOPIC_TIMEOUT.toSeconds() + " s",
          e);
    } catch (InterruptedException e) {
      throw new InterruptException(e);
    }
    awaitLeaders(name, partitions, deadline);
  }

  private void awaitLeaders(String name, int partitions, long deadline) {
    // CreateTopics answers once the controller has committed the topic; the broker may apply that metadata a
    // moment later, so describe until it has.
    Exception[] lastFailure = new Exception[1];
    boolean ready = await(deadline, () -> {
      try {
        TopicDescription description = admin.describeTopics(List.of(name)).allTopicNames()
            .get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(name);
        return description.partitions().size() == partitions
            && description.partitions().stream().allMatch(partition -> partition.leader() != null);
      } catch (ExecutionException | TimeoutException e) {
        lastFailure[0] = e;
        return false;
      }
    });
    if (!ready) {
      throw new KafkaException("Partitions of topic '" + name + "' have no leader after "
          + TOPIC_TIMEOUT.toSeconds() + " s" + lastFailureSuffix(lastFailure[0]), lastFailure[0]);
    }
  }

  /**
   * Stops the broker, waits until its threads have finished, and deletes its temporary directory. Calling this
   * again has no effect.
   *
   * @throws UncheckedIOException if the temporary directory cannot be deleted (the broker is stopped anyway)
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // Each step runs even if an earlier one failed: a broker left running would keep the JVM alive.
    RuntimeException failure = null;
    failure = attempt(() -> admin.close(ADMIN_CLOSE_TIMEOUT), failure);
    failure = attempt(() -> {
      server.shutdown();
      server.awaitShutdown();
    }, failure);
    failure = attempt(() -> deleteRecursively(directory), failure);
    if (failure != null) {
      throw failure;
    }
    LOG.info("Kafka broker at {} stopped", bootstrapServers);
  }

  /** The temporary directory holding the broker's configuration and data; gone after {@link #close()}. */
  Path directory() {
    return directory;
  }

  @Override
  public String toString() {
    return "DemoBroker{bootstrapServers=" + bootstrapServers + ", closed=" + closed.get() + "}";
  }

  private static boolean await(long deadline, Checked condition) {
    try {
      while (true) {
        if (condition.isMet()) {
          return true;
        }
        if (System.nanoTime() - deadline >= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.sleep(POLL_INTERVAL.toNanos());
      }
    } catch (InterruptedException e) {
      throw new InterruptException(e);
    }
  }

  /** A condition whose check may block; {@link #await} turns an interrupt into {@link InterruptException}. */
  @FunctionalInterface
  private interface Checked {
    boolean isMet() throws InterruptedException;
  }

  private static String lastFailureSuffix(Exception failure) {
    if (failure == null) {
      return "";
    }
    Throwable cause = failure instanceof ExecutionException && failure.getCause() != null
        ? failure.getCause() : failure;
    return "; last error: " + cause;
  }

  /** The messages of a failure and its causes; Kafka wraps a bind failure three levels deep. */
  private static String causeChain(Throwable failure) {
    StringBuilder chain = new StringBuilder(String.valueOf(failure.getMessage()));
    for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
      chain.append(" <- ").append(cause.getMessage());
    }
    return chain.toString();
  }

  private static boolean isBindFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  /** Runs a step and returns the first failure so far, with later ones suppressed in it. */
  private static RuntimeException attempt(Runnable step, RuntimeException failure) {
    try {
      step.run();
      return failure;
    } catch (RuntimeException e) {
      if (failure == null) {
        return e;
      }
      failure.addSuppressed(e);
      return failure;
    }
  }

  private static void stopQuietly(KafkaRaftServer server, Admin admin, RuntimeException failure) {
    if (admin != null) {
      attempt(() -> admin.close(ADMIN_CLOSE_TIMEOUT), failure);
    }
    attempt(() -> {
      server.shutdown();
      server.awaitShutdown();
    }, failure);
  }

  private static Path createTempDirectory() {
    try {
      return Files.createTempDirectory("agent-cli-demo-broker-");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create a temporary directory for the demo broker", e);
    }
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not delete " + root, e);
    }
  }
}
