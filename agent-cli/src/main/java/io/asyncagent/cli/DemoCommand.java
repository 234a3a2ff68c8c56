package io.asyncagent.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.asyncagent.AsyncAgent;
import io.asyncagent.http.HttpBackend;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.testkit.RecordedRequest;
import io.asyncagent.testkit.RecordingHttpBackend;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the whole product in one JVM, with nothing installed — a real Kafka broker, a real HTTP
 * server on loopback, and an agent between them. It produces numbered events, shows delivery as it
 * happens, and exits 0 only if every event reached the HTTP server and its offset was committed.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Starts an embedded Kafka broker, an HTTP backend on loopback and an agent between them, produces",
      "numbered events and checks that every one of them reaches the backend.",
      "Exits 0 when all arrive, 1 when some do not within --wait."
    })
final class DemoCommand implements Callable<Integer> {
  static final String TOPIC = "demo-events";
  static final String GROUP = "demo-agent";
  private static final Duration PROGRESS_INTERVAL = Duration.ofMillis(500);

  @Spec
  private CommandSpec spec;

  @Option(names = "--events", defaultValue = "10000", description = "Events to produce (default: ${DEFAULT-VALUE}).")
  private int events;

  @Option(names = "--partitions", defaultValue = "6", description = "Partitions of the topic (default: ${DEFAULT-VALUE}).")
  private int partitions;

  @Option(names = "--keys", defaultValue = "1000", description = "Distinct record keys (default: ${DEFAULT-VALUE}).")
  private int keys;

  @Option(names = "--workers", defaultValue = "32", description = "The agent's workers (default: ${DEFAULT-VALUE}).")
  private int workers;

  @Option(names = "--wait", defaultValue = "120", paramLabel = "SECONDS",
      description = "How long to wait for every event to arrive (default: ${DEFAULT-VALUE}).")
  private int waitSeconds;

  @Override
  public Integer call() {
    checkOptions();
    // The broker's shutdown logs a harmless warning through this logger; it serves the agent's Kafka client
    // too, so it is quietened for the demo only (slf4j-simple reads the level when the logger is created).
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient", "error");
    PrintWriter out = spec.commandLine().getOut();

    long started = System.nanoTime();
    out.println("Starting an embedded Kafka broker...");
    out.flush();
    try (DemoBroker broker = DemoBroker.start(); RecordingHttpBackend backend = RecordingHttpBackend.start()) {
      out.printf("Kafka broker ready at %s (%.1f s)%n", broker.bootstrapServers(), seconds(started));
      broker.createTopic(TOPIC, partitions);
      String target = backend.url("/events");
      out.printf("HTTP backend listening at %s%n", target);
      AsyncAgent agent = agent(broker.bootstrapServers(), backend);
      try (agent) {
        agent.start();
        out.printf("Agent 'demo' running: %s (%d partitions) -> POST %s, %d workers%n", TOPIC, partitions, target,
            workers);
        long producing = System.nanoTime();
        Set<String> produced = produce(broker.bootstrapServers());
        out.printf("Produced %,d events (%.1f s); delivering...%n", events, seconds(producing));
        out.flush();
        boolean complete = awaitDelivery(out, backend, produced);
        double took = seconds(producing);
        agent.close();
        long committed = committedOffsets(broker.bootstrapServers());
        return summary(out, backend, produced, complete, took, committed);
      }
    }
  }

  private void checkOptions() {
    positive("--events", events);
    positive("--partitions", partitions);
    positive("--keys", keys);
    positive("--workers", workers);
    positive("--wait", waitSeconds);
  }

  private void positive(String option, int value) {
    if (value < 1) {
      throw new ParameterException(spec.commandLine(), option + " must be >= 1, but was " + value);
    }
  }

  private AsyncAgent agent(String bootstrapServers, RecordingHttpBackend backend) {
    return AsyncAgent.builder()
        .name("demo")
        .topics(TOPIC)
        .workers(workers)
        .driver(KafkaDriver.builder()
            .cluster(Cluster.builder().brokers(bootstrapServers).clientId("asyncagent-demo").build())
            .group(Group.builder().id(GROUP).build())
            .keyMeta("Message-Id")
            .build())
        .sink(HttpBackend.builder().host(backend.uri().toString()).urlPattern("/events").build())
        .build();
  }

  /** Sends the events, each a small JSON document with a unique number, and waits for every acknowledgement. */
  private Set<String> produce(String bootstrapServers) {
    Set<String> produced = new HashSet<>();
    AtomicReference<Exception> failure = new AtomicReference<>();
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      for (int i = 0; i < events; i++) {
        String value = "{\"event\":" + i + ",\"type\":\"order.created\",\"amount\":" + (i % 997) + "}";
        ProducerRecord<byte[], byte[]> record =
            new ProducerRecord<>(TOPIC, ("customer-" + i % keys).getBytes(UTF_8), value.getBytes(UTF_8));
        record.headers().add("X-Event-Number", Integer.toString(i).getBytes(UTF_8));
        producer.send(record, (metadata, error) -> {
          if (error != null) {
            failure.compareAndSet(null, error);
          }
        });
        produced.add(value);
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("producing the demo events failed: " + failure.get(), failure.get());
    }
    return produced;
  }

  private boolean awaitDelivery(PrintWriter out, RecordingHttpBackend backend, Set<String> produced) {
    boolean console = System.console() != null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
    long begun = System.nanoTime();
    int lastCount = 0;
    long lastAt = begun;
    while (true) {
      LockSupport.parkNanos(PROGRESS_INTERVAL.toNanos());
      int count = backend.requestCount();
      long now = System.nanoTime();
      double rate = (count - lastCount) / Math.max(1e-9, (now - lastAt) / 1e9);
      String line = String.format("  delivered %,7d/%,d  %,8.0f events/s", count, produced.size(), rate);
      out.print(console ? "\r" + line : line + System.lineSeparator());
      out.flush();
      lastCount = count;
      lastAt = now;
      if (count >= produced.size() && uniqueDelivered(backend, produced) == produced.size()) {
        if (console) {
          out.println();
        }
        return true;
      }
      if (now - deadline > 0) {
        if (console) {
          out.println();
        }
        return false;
      }
    }
  }

  private static int uniqueDelivered(RecordingHttpBackend backend, Set<String> produced) {
    Set<String> seen = new HashSet<>();
    for (RecordedRequest request : backend.requests()) {
      String body = request.bodyAsString();
      if (produced.contains(body)) {
        seen.add(body);
      }
    }
    return seen.size();
  }

  private long committedOffsets(String bootstrapServers) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      return committed.entrySet().stream()
          .filter(entry -> entry.getKey().topic().equals(TOPIC) && entry.getValue() != null)
          .mapToLong(entry -> entry.getValue().offset())
          .sum();
    } catch (Exception e) {
      throw new IllegalStateException("reading the committed offsets of group " + GROUP + " failed: " + e, e);
    }
  }

  private int summary(PrintWriter out, RecordingHttpBackend backend, Set<String> produced, boolean complete,
      double took, long committed) {
    List<RecordedRequest> requests = backend.requests();
    int unique = uniqueDelivered(backend, produced);
    int duplicates = requests.size() - unique;
    out.printf("Committed offsets: %,d of %,d; duplicate deliveries: %,d%n", committed, produced.size(), duplicates);
    boolean ok = complete && unique == produced.size() && committed == produced.size();
    if (!complete) {
      out.printf("%,d event(s) did not arrive within %d s%n", produced.size() - unique, waitSeconds);
    }
    out.printf("delivered %d/%d events in %.1f s%n", unique, produced.size(), took);
    out.flush();
    return ok ? 0 : 1;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
