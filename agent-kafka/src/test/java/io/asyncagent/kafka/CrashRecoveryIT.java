package io.asyncagent.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.RecordedRequest;
import io.asyncagent.testkit.RecordingHttpBackend;
import io.asyncagent.testkit.WithEmbeddedKafka;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * An agent in a child JVM is killed with SIGKILL in the middle of a stream, then started again in the same
 * group: every record is delivered at least once, and the records delivered twice are exactly those the
 * first agent had not committed when it died.
 *
 * <p>The first agent is killed just after it commits, once 30,000 records have arrived: a commit that ran ahead
 * of the deliveries leaves records that are then neither delivered nor read again. Each agent sends to a
 * backend of its own, so a request of the first agent still in the socket when it died can never be mistaken
 * for one of the second. A backend records a request when it arrives, before it answers, so the first agent's
 * deliveries include those it never heard back about.
 */
@WithEmbeddedKafka
class CrashRecoveryIT {
  private static final int RECORDS = 100_000;
  private static final int KILL_AFTER = 30_000;
  /** Keeps the stream going long enough to be killed in the middle; it does not hold the backend's threads. */
  private static final Duration LATENCY = Duration.ofMillis(2);
  private static final Duration WAIT = Duration.ofMinutes(2);
  private static final Duration CHILD_START = Duration.ofSeconds(60);
  private static final Duration CHILD_EXIT = Duration.ofSeconds(60);

  @Test
  void anAgentKilledMidStreamRedeliversAfterARestartOnlyWhatItHadNotCommitted(EmbeddedKafka kafka)
      throws Exception {
    String topic = EmbeddedKafka.uniqueTopic("crash");
    String group = EmbeddedKafka.uniqueGroup("crash");
    kafka.createTopic(topic, 6);
    long started = System.nanoTime();
    NumberedRecords batch = NumberedRecords.forTopic(topic).count(RECORDS).distinctKeys(1_000);
    kafka.produce(batch.records());
    Map<Integer, Long> endOffsets = kafka.endOffsets(topic);
    Map<Integer, Long> committedAtKill;
    List<Delivery> firstRun;
    List<Delivery> secondRun;
    int firstRunAtKill;
    long killedAt;
    long restartedAt;
    try (RecordingHttpBackend firstBackend = RecordingHttpBackend.builder().latency(LATENCY).start();
         RecordingHttpBackend secondBackend = RecordingHttpBackend.builder().latency(LATENCY).start()) {
      try (ChildAgent first = ChildAgent.start("first", kafka, topic, group, firstBackend)) {
        first.awaitRunning(CHILD_START);
        first.explainFailures(() -> {
          firstBackend.awaitRequests(KILL_AFTER, WAIT);
          // Killed at a random moment, a commit that ran ahead of the deliveries mostly goes unnoticed: what it
          // skipped has usually been sent by then.
          Map<Integer, Long> before = kafka.committedOffsets(group, topic);
          Await.until(WAIT, () -> !kafka.committedOffsets(group, topic).equals(before),
              () -> "the first agent to commit again after " + before);
        });
        first.kill(CHILD_EXIT);
      }
      killedAt = System.nanoTime();
      // What the restart resumes from. A commit the dead agent sent just before it died may still land later;
      // that only moves the restart further on, and shrinks what it delivers again.
      committedAtKill = kafka.committedOffsets(group, topic);
      firstRunAtKill = firstBackend.requestCount();

      try (ChildAgent second = ChildAgent.start("second", kafka, topic, group, secondBackend)) {
        second.awaitRunning(CHILD_START);
        restartedAt = System.nanoTime();
        // Committed to the end, the restarted agent has completed every record it will deliver, and a backend
        // records each request before it answers: then every record must have arrived. Waiting for all the
        // records instead would wait out the whole deadline when one is lost; waiting for that alone could STOP
        // the agent while it still re-delivers another partition's window, and leave that uncommitted.
        second.explainFailures(() -> Await.until(WAIT,
            () -> kafka.committedOffsets(group, topic).equals(endOffsets),
            () -> "the restarted agent to commit " + endOffsets + ", got " + kafka.committedOffsets(group, topic)
                + " after " + secondBackend.requestCount() + " deliveries"));
        second.stop(CHILD_EXIT);
      }
      firstRun = Delivery.of(firstBackend.requests(), topic);
      secondRun = Delivery.of(secondBackend.requests(), topic);
    }
    long finished = System.nanoTime();

    List<Delivery> all = new ArrayList<>(firstRun);
    all.addAll(secondRun);
    int duplicates = all.size() - RECORDS;
    // The window: what the first agent delivered at or past the commit its group had when it died — in flight, or
    // completed since that commit: what the restart reads again.
    long window = firstRun.stream().filter(delivery -> delivery.atOrAfter(committedAtKill)).count();
    long committedTotal = committedAtKill.values().stream().mapToLong(Long::longValue).sum();
    System.out.printf("crash recovery: %d records, first run %d, duplicates %d, window %d, committed-at-kill %d%n",
        RECORDS, firstRun.size(), duplicates, window, committedTotal);
    System.out.printf("crash recovery: committed at kill %s of %s; first run %d at the kill, %d in all; second run %d;"
            + " %d ms to produce and kill, %d ms to the restart running, %d ms from then to its exit%n",
        new TreeMap<>(committedAtKill), endOffsets, firstRunAtKill, firstRun.size(), secondRun.size(),
        TimeUnit.NANOSECONDS.toMillis(killedAt - started), TimeUnit.NANOSECONDS.toMillis(restartedAt - killedAt),
        TimeUnit.NANOSECONDS.toMillis(finished - restartedAt));

    assertThat(kafka.committedOffsets(group, topic)).as("committed offsets after the restarted agent closed")
        .isEqualTo(endOffsets);
    Set<String> firstRunBodies = firstRun.stream().map(Delivery::body).collect(Collectors.toSet());
    assertThat(firstRunBodies.size()).as("distinct records delivered before the kill (the kill was mid-stream)")
        .isLessThan(RECORDS);

    // The promise behind the commits: nothing below a committed offset was left undelivered.
    for (Map.Entry<Integer, Long> commit : committedAtKill.entrySet()) {
      int partition = commit.getKey();
      long committed = commit.getValue();
      assertThat(committed).as("offset committed at the kill in partition %d", partition)
          .isBetween(0L, endOffsets.get(partition));
      long deliveredBelow = firstRun.stream()
          .filter(delivery -> delivery.partition() == partition && delivery.offset() < committed)
          .map(Delivery::offset).distinct().count();
      assertThat(deliveredBelow).as("offsets below the commit at the kill delivered by the first agent, partition %d",
          partition).isEqualTo(committed);
    }

    Set<String> delivered = all.stream().map(Delivery::body).collect(Collectors.toSet());
    assertThat(difference(batch.values(), delivered)).as("records never delivered").isEmpty();
    assertThat(difference(delivered, batch.values())).as("deliveries of records never produced").isEmpty();

    assertThat(duplicates).as("duplicates, with a window of %d deliveries at or past the commit at the kill", window)
        .isLessThanOrEqualTo(Math.toIntExact(window));
    assertThat(secondRun.stream().filter(delivery -> !delivery.atOrAfter(committedAtKill)).toList())
        .as("deliveries of the restarted agent below the commit at the kill %s", committedAtKill).isEmpty();
    List<List<Delivery>> repeated = all.stream().collect(Collectors.groupingBy(Delivery::body)).values().stream()
        .filter(deliveries -> deliveries.size() > 1).toList();
    assertThat(repeated.stream().mapToInt(deliveries -> deliveries.size() - 1).sum()).as("duplicates by record")
        .isEqualTo(duplicates);
    assertThat(repeated.stream().filter(deliveries -> !deliveries.get(0).atOrAfter(committedAtKill)).toList())
        .as("records delivered twice though below the commit at the kill %s", committedAtKill).isEmpty();
    assertThat(repeated.stream()
            .filter(deliveries -> deliveries.stream().map(Delivery::coordinates).distinct().count() > 1).toList())
        .as("records delivered from more than one offset").isEmpty();
  }

  private static Set<String> difference(Set<String> of, Set<String> without) {
    Set<String> left = new TreeSet<>(of);
    left.removeAll(without);
    return left;
  }

  /** One request a backend received: the record's value and where the agent read it. */
  private record Delivery(String body, int partition, long offset) {
    static List<Delivery> of(List<RecordedRequest> requests, String topic) {
      List<Delivery> deliveries = new ArrayList<>(requests.size());
      for (RecordedRequest request : requests) {
        assertThat(request.header("X-Kafka-Topic")).as("topic header of %s", request.bodyAsString()).contains(topic);
        deliveries.add(new Delivery(request.bodyAsString(),
            Integer.parseInt(request.header("X-Kafka-Partition").orElseThrow()),
            Long.parseLong(request.header("X-Kafka-Offset").orElseThrow())));
      }
      return deliveries;
    }

    String coordinates() {
      return partition + "@" + offset;
    }

    /** Whether a consumer resuming from {@code committed} reads this record again. */
    boolean atOrAfter(Map<Integer, Long> committed) {
      return offset >= committed.getOrDefault(partition, 0L);
    }
  }

  /** {@link AgentMain} in a JVM of its own; its stderr goes to a file under {@code target/}. */
  private static final class ChildAgent implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path stderr;
    private final CompletableFuture<Void> running = new CompletableFuture<>();
    private final Thread stdoutReader;

    private ChildAgent(String name, Process process, Path stderr) {
      this.name = name;
      this.process = process;
      this.stderr = stderr;
      this.stdoutReader = new Thread(this::readStdout, "crash-recovery-" + name + "-stdout");
      stdoutReader.setDaemon(true);
      stdoutReader.start();
    }

    static ChildAgent start(String name, EmbeddedKafka kafka, String topic, String group,
        RecordingHttpBackend backend) throws IOException {
      Path stderr = Path.of("target", "crash-recovery-" + group + "-" + name + ".stderr.log").toAbsolutePath();
      Files.createDirectories(stderr.getParent());
      Process process = new ProcessBuilder(javaExecutable(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          AgentMain.class.getName(), kafka.bootstrapServers(), topic, group, backend.uri().toString())
          .redirectError(stderr.toFile())
          .start();
      return new ChildAgent(name, process, stderr);
    }

    private static String javaExecutable() {
      return ProcessHandle.current().info().command()
          .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private void readStdout() {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (line.equals(AgentMain.RUNNING)) {
            running.complete(null);
          }
        }
      } catch (IOException e) {
        running.completeExceptionally(e);
      }
      running.completeExceptionally(new IllegalStateException("its stdout ended before " + AgentMain.RUNNING));
    }

    void awaitRunning(Duration timeout) throws InterruptedException {
      try {
        running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw failure("exited before it was running: " + e.getCause(), e.getCause());
      } catch (TimeoutException e) {
        throw failure("not running within " + timeout, e);
      }
    }

    /** Runs {@code step}; if it fails, the failure carries the tail of the child's stderr. */
    void explainFailures(Runnable step) {
      try {
        step.run();
      } catch (AssertionError | RuntimeException e) {
        e.addSuppressed(failure("was the child at the time", null));
        throw e;
      }
    }

    /** SIGKILL: no shutdown hook, no close, no last commit. */
    void kill(Duration timeout) throws InterruptedException {
      process.destroyForcibly();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw failure("still alive " + timeout + " after SIGKILL", null);
      }
    }

    /** Asks the agent to close, and waits for the JVM to exit with 0. */
    void stop(Duration timeout) throws InterruptedException {
      try {
        Writer stdin = new OutputStreamWriter(process.getOutputStream(), UTF_8);
        stdin.write(AgentMain.STOP + "\n");
        stdin.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("could not send " + AgentMain.STOP + " to the " + name + " agent", e);
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw failure("did not exit within " + timeout + " of " + AgentMain.STOP, null);
      }
      if (process.exitValue() != 0) {
        throw failure("exited with " + process.exitValue() + " after " + AgentMain.STOP, null);
      }
    }

    private AssertionError failure(String what, Throwable cause) {
      return new AssertionError("the " + name + " agent (pid " + process.pid() + ") " + what
          + "; the end of its stderr (" + stderr + "):\n" + stderrTail(), cause);
    }

    private String stderrTail() {
      try {
        List<String> lines = Files.readAllLines(stderr, UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
      } catch (IOException e) {
        return "(unreadable: " + e + ")";
      }
    }

    /** Whatever happened, the child does not outlive the test. */
    @Override
    public void close() {
      if (process.isAlive()) {
        process.destroyForcibly();
        try {
          process.waitFor(CHILD_EXIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      TestThreads.join(stdoutReader, CHILD_EXIT);
    }
  }
}
