package io.asyncagent.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.RecordingHttpBackend;
import io.asyncagent.testkit.WithEmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} as a process of its own, scraped over HTTP as a monitoring system scrapes it, and ended with SIGTERM
 * ({@link Process#destroy()}) as a service manager ends it. It runs the packaged jar when there is one ({@code mvn verify} builds it before the integration tests), and
 * else the test's own class path.
 */
@WithEmbeddedKafka
final class RunProcessIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String RUNNING = "Running 1 agent; Ctrl-C or SIGTERM drains and stops";

  @TempDir
  Path directory;

  @Test
  void servesHealthAndMetricsAndSigtermDrainsTheAgentPrintsTheSummaryAndExitsZero(EmbeddedKafka kafka)
      throws Exception {
    String topic = EmbeddedKafka.uniqueTopic("signals");
    String group = EmbeddedKafka.uniqueGroup("run-process");
    kafka.createTopic(topic, 2);
    NumberedRecords records = NumberedRecords.forTopic(topic).count(100).distinctKeys(10);
    try (RecordingHttpBackend backend = RecordingHttpBackend.start()) {
      Path config = KrakendJson.agent("signals", topic, kafka.bootstrapServers(), group, backend.uri().toString())
          .writeTo(directory);
      Path stdout = directory.resolve("stdout.txt");
      Path stderr = directory.resolve("stderr.txt");
      Process process = new ProcessBuilder(command("run", "-c", config.toString(), "--progress-interval", "1s",
          "--port", "0"))
          .redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile())
          .start();
      try {
        Await.until(DEADLINE, () -> lines(stdout).contains(RUNNING) || !process.isAlive(),
            () -> RUNNING + "; output so far:\n" + String.join("\n", lines(stdout)));
        assertThat(process.isAlive()).as("alive; errors:%n%s", String.join("\n", lines(stderr))).isTrue();
        ServedEndpoints served = ServedEndpoints.in(lines(stdout))
            .orElseThrow(() -> new AssertionError("no Serving line in:\n" + String.join("\n", lines(stdout))));
        kafka.produce(records.records());
        backend.awaitRequests(100, DEADLINE);
        Await.until(DEADLINE, () -> served.deliveredTotal("signals", topic) >= 100, "100 deliveries in /metrics");
        HttpResponse<String> metrics = served.get("/metrics");
        HttpResponse<String> health = served.get("/__health");

        process.destroy();

        assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("exited").isTrue();
        List<String> lines = lines(stdout);
        assertThat(process.exitValue()).as("exit code; output:%n%s%nerrors:%n%s", String.join("\n", lines),
            String.join("\n", lines(stderr))).isZero();
        assertThat(lines).containsSubsequence(
            RUNNING,
            "Stopping 1 agent; draining for up to 30s",
            "[signals] RUNNING -> STOPPING",
            "[signals] STOPPING -> STOPPED");
        assertThat(lines.get(lines.size() - 1))
            .matches("Stopped after \\d+\\.\\d s: 1 STOPPED, 0 FAILED; 100 delivered, 0 failed");
        assertThat(kafka.committedOffsets(group, topic)).isEqualTo(kafka.endOffsets(topic));
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(ServedEndpoints.deliveredTotal(metrics.body(), "signals", topic)).isEqualTo(100.0);
        assertThat(metrics.body()).contains("# TYPE jvm_memory_used_bytes gauge");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).startsWith("{\"status\":\"ok\",\"agents\":{\"signals\":\"");
      } finally {
        process.destroyForcibly();
      }
    }
  }

  private static List<String> command(String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.add("-Xmx256m");
    Path jar = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target/agent-cli.jar");
    if (Files.isRegularFile(jar)) {
      command.add("-jar");
      command.add(jar.toString());
    } else {
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(Main.class.getName());
    }
    command.addAll(List.of(args));
    return command;
  }

  private static List<String> lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file, UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
