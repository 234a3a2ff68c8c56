package io.asyncagent.bench;

import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.Ordering;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.kafka.StartPosition;
import io.asyncagent.testkit.EmbeddedKafka;
import io.confluent.parallelconsumer.ParallelConsumerOptions;
import io.confluent.parallelconsumer.ParallelStreamProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;

/*
 * P3: a slow backend. Every call to it takes 10 ms and holds no thread while it waits (a scheduler completes a
 * future), so what limits a consumer is how many calls it keeps in flight: by Little's law, 64 in flight at 10 ms
 * each is at most 64 / 0.010 s = 6,400 calls/s. The topic has 1 partition and 1,000 keys, so a consumer that keeps
 * key order can still keep 64 calls in flight, while one that goes a record at a time per partition gets 100/s.
 *
 * The agent (Ordering.KEY, 64 workers) is divided by that bound. Two real peers read the same topic in the same
 * rounds, alternating with the agent, each in a fresh group, and are divided by the same bound: a Spring Kafka
 * listener container (one record at a time per partition, its default model) and Confluent Parallel Consumer in key
 * order with maxConcurrency 64. Both block on the same backend's future, which is how their models wait. A peer that
 * does not resolve or run is skipped, with the error in the details.
 */
/** P3: a 10 ms backend, one partition, 1,000 keys, key order and 64 workers, ÷ the Little's-law bound. */
final class P3SlowBackend implements Scenario {
  private static final int VALUE_SIZE = 100;
  private static final int KEYS = 1_000;
  private static final int WORKERS = 64;
  private static final Duration LATENCY = Duration.ofMillis(10);
  /** Little's law: throughput = in flight ÷ latency. */
  static final double BOUND = WORKERS / (LATENCY.toNanos() / 1e9);

  @Override
  public String id() {
    return "P3";
  }

  @Override
  public String title() {
    return "slow backend (10 ms), 1 partition, 1,000 keys, KEY order, 64 workers ÷ Little's-law bound";
  }

  @Override
  public ScenarioResult run(BenchContext context) throws Exception {
    int records = context.scale().pick(60_000, 1_000);
    // Spring's model does 100 calls/s at best, so it reads the first part of the topic, ~10 s at full scale.
    int springRecords = context.scale().pick(1_000, 100);
    // A safety cap per run: a contender still going then is measured over what it handled so far.
    Duration cap = Duration.ofSeconds(context.scale().pick(45, 10));
    String topic = EmbeddedKafka.uniqueTopic("p3");
    context.kafka().createTopic(topic, 1);
    context.progress(id(), "producing %,d records of %d bytes with %,d keys to 1 partition", records, VALUE_SIZE,
        KEYS);
    Load.produce(context.kafka(), topic, records, VALUE_SIZE, i -> "key-" + (i % KEYS));

    String springVersion = version("org.springframework.kafka", "spring-kafka", KafkaMessageListenerContainer.class);
    String pcVersion =
        version("io.confluent.parallelconsumer", "parallel-consumer-core", ParallelStreamProcessor.class);
    try (SlowBackend backend = new SlowBackend(LATENCY)) {
      List<Contender> contenders = List.of(
          new Contender("agent", "async agent, `Ordering.KEY`, `workers(64)`", records,
              () -> agent(context.kafka(), topic, records, cap, backend)),
          new Contender("spring", "Spring Kafka " + springVersion
              + " `KafkaMessageListenerContainer` + record `MessageListener`", springRecords,
              () -> spring(context.kafka(), topic, springRecords, cap, backend)),
          new Contender("pc", "Confluent Parallel Consumer " + pcVersion
              + ", `ProcessingOrder.KEY`, `maxConcurrency(64)`", records,
              () -> parallelConsumer(context.kafka(), topic, records, cap, backend)));
      Contender agent = contenders.get(0);

      context.progress(id(), "warming up every contender (not counted)");
      for (Contender contender : contenders) {
        Run run = contender.attempt(context, id());
        if (run != null) {
          context.progress(id(), "warm-up %s: %,.0f events/s", contender.key, run.rate());
        }
      }
      if (agent.failure != null) {
        throw new IllegalStateException("the agent failed: " + agent.failure, agent.failureCause);
      }
      for (int round = 1; round <= context.rounds(); round++) {
        List<Contender> order = new ArrayList<>(contenders);
        if (round % 2 == 0) {
          Collections.reverse(order);
        }
        StringBuilder line = new StringBuilder();
        for (Contender contender : order) {
          if (contender.failure != null) {
            continue;
          }
          Run run = contender.attempt(context, id());
          if (run != null) {
            contender.runs.add(run);
            line.append(String.format(Locale.ROOT, ", %s %,.0f events/s (%.2f)", contender.key, run.rate(),
                run.rate() / BOUND));
          }
        }
        if (agent.failure != null) {
          throw new IllegalStateException("the agent failed: " + agent.failure, agent.failureCause);
        }
        context.progress(id(), "round %d%s", round, line);
      }
      return result(contenders, records, springRecords, cap, backend);
    }
  }

  private ScenarioResult result(List<Contender> contenders, int records, int springRecords, Duration cap,
      SlowBackend backend) {
    ScenarioResult result = new ScenarioResult();
    // The title is the scenario's; the metric names whose events/s a row holds, so the chart's labels differ.
    String[] metrics = {"agent events/s", "Spring listener (peer) events/s", "Parallel Consumer (peer) events/s"};
    double[] targets = {0.85, Double.NaN, Double.NaN};
    for (int i = 0; i < contenders.size(); i++) {
      Contender contender = contenders.get(i);
      if (contender.failure != null || contender.runs.isEmpty()) {
        continue;
      }
      List<Double> rates = contender.runs.stream().map(Run::rate).toList();
      List<Double> ratios = rates.stream().map(rate -> rate / BOUND).toList();
      result.row(new ScenarioResult.Row(id(), "slow backend (10 ms), KEY order", metrics[i], "Little's-law bound",
          Stats.of(rates), Stats.of(Collections.nCopies(rates.size(), BOUND)), Stats.of(ratios), targets[i], true));
    }

    StringBuilder md = new StringBuilder("## P3 — slow backend, key order\n\n");
    md.append(String.format(Locale.ROOT,
        "%,d records of %d bytes on 1 partition, with %,d keys (`key-(i %% %d)`), read from the beginning by a fresh "
            + "group each time. The backend is one object shared by every contender: each call completes %d ms "
            + "later, scheduled, holding no thread while it waits. With at most %d calls in flight, Little's law "
            + "bounds the throughput at %d ÷ %d ms = **%,.0f events/s**, whatever the consumer; that constant is "
            + "the baseline. Key order costs nothing here in principle: any %d consecutive records have %d distinct "
            + "keys.\n\n",
        records, VALUE_SIZE, KEYS, KEYS, LATENCY.toMillis(), WORKERS, WORKERS, LATENCY.toMillis(), BOUND, WORKERS,
        WORKERS));
    md.append(String.format(Locale.ROOT,
        "The agent runs with `Ordering.KEY`, `workers(%d)` and its other defaults, and its sink returns the "
            + "backend's future. Two peers read the same topic in the same rounds, alternating with the agent "
            + "(odd rounds agent first, even rounds agent last), each in a fresh group: a Spring Kafka listener "
            + "container with a record `MessageListener` that waits for the backend on the consumer thread — one "
            + "record at a time per partition, its default model, so at best 1 ÷ %d ms = %,.0f events/s; it reads "
            + "the first %,d records, ~10 s at that rate — and Confluent Parallel Consumer with "
            + "`ProcessingOrder.KEY` and `maxConcurrency(%d)`, whose callback waits for the backend on one of its "
            + "%d threads. Time from the consumer's start to its last record handled; a run still going after "
            + "%d s is measured over what it handled by then. One uncounted run of each warms the JIT first. The "
            + "backend completed %,d calls in all, %.2f ms late at the median of its last %,d.\n\n",
        WORKERS, LATENCY.toMillis(), 1000.0 / LATENCY.toMillis(), springRecords, WORKERS, WORKERS,
        cap.toSeconds(), backend.calls(), backend.medianLatenessMillis(), backend.latenessSamples()));
    md.append("| contender | records per run | events/s | ÷ bound |\n|---|---|---|---|\n");
    for (Contender contender : contenders) {
      if (contender.failure != null || contender.runs.isEmpty()) {
        md.append("| ").append(contender.description).append(" | — | did not run | — |\n");
        continue;
      }
      Stats rates = Stats.of(contender.runs.stream().map(Run::rate).toList());
      Stats ratios = Stats.of(contender.runs.stream().map(run -> run.rate() / BOUND).toList());
      long cut = contender.runs.stream().filter(run -> run.handled() < contender.records).count();
      md.append("| ").append(contender.description).append(" | ").append(String.format(Locale.ROOT, "%,d",
              contender.records)).append(cut > 0 ? " (" + cut + " runs cut at the cap)" : "")
          .append(" | ").append(rates.format("%,.0f")).append(" | ").append(ratios.format("%.3f")).append(" |\n");
    }
    md.append(String.format(Locale.ROOT, "| Little's-law bound | — | %,.0f | 1 |\n", BOUND));
    for (Contender contender : contenders) {
      if (contender.failure != null) {
        md.append("\n").append(contender.description).append(" was skipped: it failed with `")
            .append(contender.failure.replace('`', '\'')).append("`.\n");
      }
    }
    result.details(md.toString());
    return result;
  }

  /** Returns the version of the artifact on the class path, from its Maven metadata or its manifest. */
  private static String version(String group, String artifact, Class<?> type) {
    try (InputStream in = type.getClassLoader()
        .getResourceAsStream("META-INF/maven/" + group + "/" + artifact + "/pom.properties")) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        return properties.getProperty("version", "");
      }
    } catch (IOException e) {
      // fall back to the manifest
    }
    String version = type.getPackage().getImplementationVersion();
    return version == null ? "" : version;
  }

  /** The agent: KEY order, 64 workers, a sink that returns the backend's future. */
  private static Run agent(EmbeddedKafka kafka, String topic, int records, Duration cap, SlowBackend backend) {
    Progress progress = new Progress();
    BackendSink sink = event -> backend.call().thenRun(progress::handled);
    String group = EmbeddedKafka.uniqueGroup("p3-agent");
    long started = System.nanoTime();
    try (AsyncAgent agent = AsyncAgent.builder()
        .name(group)
        .topics(topic)
        .ordering(Ordering.KEY)
        .workers(WORKERS)
        .driver(KafkaDriver.builder()
            .cluster(Cluster.builder().brokers(kafka.bootstrapServers()).build())
            .group(Group.of(group))
            .startFrom(StartPosition.earliest())
            .build())
        .sink(sink)
        .build()) {
      agent.start();
      progress.await(records, started, cap, () -> agent.failureCause().orElse(null));
    }
    return progress.run(started);
  }

  /** Spring Kafka: a record listener on the container's consumer thread, one record at a time per partition. */
  private static Run spring(EmbeddedKafka kafka, String topic, int records, Duration cap, SlowBackend backend) {
    Progress progress = new Progress();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Map<String, Object> config = new LinkedHashMap<>(Load.rawConsumer(kafka, EmbeddedKafka.uniqueGroup("p3-spring")));
    ContainerProperties properties = new ContainerProperties(topic);
    properties.setMessageListener((MessageListener<byte[], byte[]>) record -> {
      try {
        backend.call().join();
        progress.handled();
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
        throw e;
      }
    });
    // Stop after the record in hand rather than after the rest of the poll (up to 500 records, 5 s).
    properties.setStopImmediate(true);
    long started = System.nanoTime();
    KafkaMessageListenerContainer<byte[], byte[]> container =
        new KafkaMessageListenerContainer<>(new DefaultKafkaConsumerFactory<byte[], byte[]>(config), properties);
    container.setBeanName("p3-spring");
    container.start();
    try {
      progress.await(records, started, cap, failure::get);
    } finally {
      container.stop();
    }
    return progress.run(started);
  }

  /** Confluent Parallel Consumer: KEY order, maxConcurrency 64; the callback waits on one of PC's 64 threads. */
  private static Run parallelConsumer(EmbeddedKafka kafka, String topic, int records, Duration cap,
      SlowBackend backend) {
    Progress progress = new Progress();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long started = System.nanoTime();
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(Load.rawConsumer(kafka, EmbeddedKafka.uniqueGroup("p3-pc")));
    ParallelConsumerOptions<byte[], byte[]> options = ParallelConsumerOptions.<byte[], byte[]>builder()
        .consumer(consumer)
        .ordering(ParallelConsumerOptions.ProcessingOrder.KEY)
        .maxConcurrency(WORKERS)
        .build();
    ParallelStreamProcessor<byte[], byte[]> processor = ParallelStreamProcessor.createEosStreamProcessor(options);
    try {
      processor.subscribe(List.of(topic));
      processor.poll(poll -> {
        try {
          for (int i = 0; i < poll.size(); i++) {
            backend.call().join();
            progress.handled();
          }
        } catch (RuntimeException e) {
          failure.compareAndSet(null, e);
          throw e;
        }
      });
      progress.await(records, started, cap, () -> failure.get() != null ? failure.get()
          : processor.isClosedOrFailed() ? new IllegalStateException("Parallel Consumer closed or failed") : null);
    } finally {
      processor.closeDontDrainFirst();
    }
    return progress.run(started);
  }

  /** One measured run: records handled and the time from the consumer's start to the last of them. */
  record Run(long handled, long nanos) {
    double rate() {
      return handled / (nanos / 1e9);
    }
  }

  /** Counts records handled and when the last one was. */
  private static final class Progress {
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong lastAt = new AtomicLong();

    void handled() {
      handled.incrementAndGet();
      lastAt.set(System.nanoTime());
    }

    /** Waits for {@code records} records or the cap; throws if {@code failure} reports one. */
    void await(int records, long started, Duration cap, Supplier<Throwable> failure) {
      long deadline = started + cap.toNanos();
      while (handled.get() < records && System.nanoTime() < deadline) {
        Throwable cause = failure.get();
        if (cause != null) {
          throw new IllegalStateException("failed after " + handled.get() + " records: " + cause, cause);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
      }
      if (handled.get() == 0) {
        throw new IllegalStateException("handled no record in " + cap.toSeconds() + " s");
      }
    }

    Run run(long started) {
      // Read the count first: a record handled after it only moves lastAt later, which underestimates the rate.
      long count = handled.get();
      return new Run(count, lastAt.get() - started);
    }
  }

  /** A contender, its samples, and why it was skipped, if it was. */
  private static final class Contender {
    final String key;
    final String description;
    final int records;
    final Callable<Run> body;
    final List<Run> runs = new ArrayList<>();
    String failure;
    Throwable failureCause;

    Contender(String key, String description, int records, Callable<Run> body) {
      this.key = key;
      this.description = description;
      this.records = records;
      this.body = body;
    }

    /** Runs once; on failure records why, and returns null. */
    Run attempt(BenchContext context, String scenario) {
      try {
        return body.call();
      } catch (Exception | LinkageError e) {
        failure = e.toString() + (e.getCause() != null && e.getCause() != e ? " (cause: " + e.getCause() + ")" : "");
        failureCause = e;
        context.progress(scenario, "%s failed and is skipped from now on: %s", key, failure);
        e.printStackTrace(context.log());
        return null;
      }
    }
  }

  /** The backend: each call completes {@code latency} later on a scheduler, holding no thread meanwhile. */
  static final class SlowBackend implements AutoCloseable {
    private static final int SAMPLES = 4096;
    private final long latencyNanos;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "p3-backend");
      thread.setDaemon(true);
      return thread;
    });
    private final AtomicLong calls = new AtomicLong();
    private final long[] lateness = new long[SAMPLES];

    SlowBackend(Duration latency) {
      this.latencyNanos = latency.toNanos();
    }

    /** Starts a call; the future completes {@code latency} later. */
    CompletableFuture<Void> call() {
      CompletableFuture<Void> done = new CompletableFuture<>();
      long due = System.nanoTime() + latencyNanos;
      scheduler.schedule(() -> {
        long n = calls.getAndIncrement();
        lateness[(int) (n % SAMPLES)] = System.nanoTime() - due;
        done.complete(null);
      }, latencyNanos, TimeUnit.NANOSECONDS);
      return done;
    }

    long calls() {
      return calls.get();
    }

    int latenessSamples() {
      return (int) Math.min(SAMPLES, calls.get());
    }

    /** The median of how late the last calls completed, beyond the latency (racy, for information). */
    double medianLatenessMillis() {
      int n = latenessSamples();
      if (n == 0) {
        return 0;
      }
      long[] copy = Arrays.copyOf(lateness, n);
      Arrays.sort(copy);
      return copy[n / 2] / 1e6;
    }

    @Override
    public void close() {
      scheduler.shutdownNow();
    }
  }
}
