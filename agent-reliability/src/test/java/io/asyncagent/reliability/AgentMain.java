package io.asyncagent.reliability;

import io.asyncagent.AgentHealth;
import io.asyncagent.AgentListener;
import io.asyncagent.AsyncAgent;
import io.asyncagent.DeliveryAttempt;
import io.asyncagent.Partition;
import io.asyncagent.http.HttpBackend;
import io.asyncagent.kafka.ClientTls;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.kafka.Sasl;
import io.asyncagent.kafka.StartPosition;
import io.asyncagent.testkit.ChildAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * An agent alone in a JVM, for the scenarios that run agents as {@link ChildAgent}s: Kafka topic → agent → the test's
 * HTTP backend, with each event's coordinates as headers.
 *
 * <p>Arguments are {@code key=value} pairs: {@code bootstrap}, {@code topic}, {@code group} and {@code backend} (a base
 * URL) are required; {@code name} (default the group), {@code instanceId} (a static member), {@code sessionTimeoutMs}
 * (10000), {@code commitIntervalMs} (1000), {@code workers} (16), {@code sasl} ({@code PLAIN}, {@code SCRAM-SHA-256} or
 * {@code SCRAM-SHA-512}) with {@code user} and the password in the environment variable {@value #PASSWORD_VARIABLE},
 * and {@code caCert} (a PEM file: TLS, trusting only that CA) are optional. The agent starts at the earliest offset
 * when its group has not committed.
 *
 * <p>On stdout it prints {@value ChildAgent#RUNNING} once started; {@code ASSIGNED}, {@code REVOKED} and {@code LOST}
 * with the partition numbers on each rebalance; {@code PROGRESS delivered=<n> buffered=<events>/<bytes> healthy=<b>}
 * every 500 ms; and, if {@code start()} fails, {@code STARTUP_MILLIS <how long start() took>} and {@code FAILED <the
 * exception's message>}, then exits with status 2.
 * It stops cleanly (drains and commits) on {@value ChildAgent#STOP}.
 */
public final class AgentMain {
  /** The environment variable holding the SASL password, which the command line should not carry. */
  static final String PASSWORD_VARIABLE = "RELIABILITY_AGENT_PASSWORD";
  static final String ASSIGNED = "ASSIGNED ";
  static final String REVOKED = "REVOKED ";
  static final String LOST = "LOST ";
  static final String PROGRESS = "PROGRESS ";
  static final String FAILED = "FAILED ";
  static final String STARTUP_MILLIS = "STARTUP_MILLIS ";

  private AgentMain() {}

  public static void main(String[] args) {
    Map<String, String> options = parse(args);
    String group = required(options, "group");
    AtomicLong delivered = new AtomicLong();
    AgentListener reporter = new AgentListener() {
      @Override
      public void partitionsAssigned(AsyncAgent agent, Set<Partition> partitions) {
        print(ASSIGNED + numbers(partitions));
      }

      @Override
      public void partitionsRevoked(AsyncAgent agent, Set<Partition> partitions) {
        print(REVOKED + numbers(partitions));
      }

      @Override
      public void partitionsLost(AsyncAgent agent, Set<Partition> partitions) {
        print(LOST + numbers(partitions));
      }

      @Override
      public void delivered(AsyncAgent agent, DeliveryAttempt attempt) {
        delivered.incrementAndGet();
      }
    };
    AsyncAgent agent = AsyncAgent.builder()
        .name(options.getOrDefault("name", group))
        .topics(required(options, "topic"))
        .workers(Integer.parseInt(options.getOrDefault("workers", "16")))
        .timeout(Duration.ofSeconds(30))
        .startTimeout(Duration.ofSeconds(30))
        .listener(reporter)
        .driver(KafkaDriver.builder()
            .cluster(cluster(options))
            .group(group(options, group))
            .startFrom(StartPosition.earliest())
            .commitInterval(Duration.ofMillis(Long.parseLong(options.getOrDefault("commitIntervalMs", "1000"))))
            .build())
        .sink(HttpBackend.builder().host(required(options, "backend")).urlPattern("/events").forwardCoordinates(true)
            .build())
        .build();
    ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "agent-main-progress");
      thread.setDaemon(true);
      return thread;
    });
    try {
      long starting = System.nanoTime();
      try {
        agent.start();
      } catch (RuntimeException e) {
        print(STARTUP_MILLIS + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - starting));
        print(FAILED + e.getMessage());
        agent.close();
        System.exit(2);
      }
      progress.scheduleAtFixedRate(() -> {
        AgentHealth health = agent.health();
        print(PROGRESS + "delivered=" + delivered.get() + " buffered=" + health.bufferedEvents() + "/"
            + health.bufferedBytes() + " healthy=" + health.isHealthy());
      }, 0, 500, TimeUnit.MILLISECONDS);
      ChildAgent.announceRunning();
      ChildAgent.awaitStopRequest();
    } finally {
      progress.shutdownNow();
      agent.close();
    }
  }

  private static Cluster cluster(Map<String, String> options) {
    Cluster.Builder cluster = Cluster.builder().brokers(required(options, "bootstrap"));
    String mechanism = options.get("sasl");
    if (mechanism != null) {
      String password = System.getenv(PASSWORD_VARIABLE);
      if (password == null) {
        throw new IllegalArgumentException("sasl=" + mechanism + " needs the password in " + PASSWORD_VARIABLE);
      }
      cluster.sasl(Sasl.builder().mechanism(Sasl.Mechanism.valueOf(mechanism.replace('-', '_')))
          .user(required(options, "user")).password(password).build());
    }
    String caCert = options.get("caCert");
    if (caCert != null) {
      cluster.clientTls(ClientTls.builder().caCerts(List.of(Path.of(caCert))).disableSystemCaPool(true).build());
    }
    return cluster.build();
  }

  private static Group group(Map<String, String> options, String id) {
    Group.Builder group = Group.builder().id(id);
    String sessionTimeout = options.get("sessionTimeoutMs");
    if (sessionTimeout != null) {
      group.sessionTimeout(Duration.ofMillis(Long.parseLong(sessionTimeout)));
    }
    String instanceId = options.get("instanceId");
    if (instanceId != null) {
      group.instanceId(instanceId);
    }
    return group.build();
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException("arguments are key=value, but got '" + arg + "'");
      }
      options.put(arg.substring(0, equals), arg.substring(equals + 1));
    }
    return options;
  }

  private static String required(Map<String, String> options, String key) {
    String value = options.get(key);
    if (value == null) {
      throw new IllegalArgumentException("missing argument " + key + "=...");
    }
    return value;
  }

  private static String numbers(Set<Partition> partitions) {
    return partitions.stream().map(Partition::partition).sorted().map(String::valueOf)
        .collect(Collectors.joining(","));
  }

  private static void print(String line) {
    synchronized (System.out) {
      System.out.println(line);
      System.out.flush();
    }
  }
}
