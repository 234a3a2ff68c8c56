package io.asyncagent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncagent.krakend.KrakendConfig;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.RecordedRequest;
import io.asyncagent.testkit.RecordingHttpBackend;
import io.asyncagent.testkit.WithEmbeddedKafka;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run -c} in the test JVM, against a real broker and a real HTTP backend, stopped as a signal would. */
@WithEmbeddedKafka
final class RunCommandIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String RUNNING = "Running 1 agent; Ctrl-C or SIGTERM drains and stops";

  @TempDir
  Path directory;

  private final CliRun cli = new CliRun();
  private final ExecutorService runner = Executors.newSingleThreadExecutor(task -> new Thread(task, "run-command"));

  @AfterEach
  void endTheRun() throws InterruptedException {
    cli.stop();
    runner.shutdown();
    assertThat(runner.awaitTermination(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("the run ended").isTrue();
  }

  @Test
  void deliversEveryEventThenDrainsCommitsEveryOffsetAndExitsZeroWhenStopped(EmbeddedKafka kafka) throws Exception {
    String topic = EmbeddedKafka.uniqueTopic("orders");
    String group = EmbeddedKafka.uniqueGroup("run");
    kafka.createTopic(topic, 3);
    NumberedRecords records = NumberedRecords.forTopic(topic).count(300).distinctKeys(30);
    try (RecordingHttpBackend backend = RecordingHttpBackend.start()) {
      Path config = KrakendJson.agent("orders", topic, kafka.bootstrapServers(), group, backend.uri().toString())
          .writeTo(directory);

      Future<Integer> exit = runner.submit(() -> cli.execute("run", "-c", config.toString(),
          "--progress-interval", "100ms"));
      awaitOutputLine(line -> line.equals(RUNNING), RUNNING);
      kafka.produce(records.records());
      backend.awaitRequests(300, DEADLINE);
      awaitOutputLine(line -> line.matches("\\[orders] RUNNING, .*; last delivery \\d+\\.\\d s ago"),
          "a progress line with the last delivery");
      assertThat(cli.stop()).isTrue();
      int exitCode = exit.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

      assertThat(exitCode).as("exit code; output:%n%s%nerrors:%n%s", cli.out, cli.err).isZero();
      assertThat(backend.requests()).extracting(RecordedRequest::bodyAsString)
          .containsExactlyInAnyOrderElementsOf(records.values());
      assertThat(kafka.committedOffsets(group, topic)).isEqualTo(kafka.endOffsets(topic));
      List<String> lines = cli.outLines();
      assertThat(withoutProgressAndHealth(lines)).containsExactly(
          "Starting 1 agent from " + config,
          KrakendConfig.read(config).agents().get(0).summary(),
          "[orders] NEW -> STARTING",
          "[orders] STARTING -> RUNNING",
          RUNNING,
          "Stopping 1 agent; draining for up to 30s",
          "[orders] RUNNING -> STOPPING",
          "[orders] STOPPING -> STOPPED",
          lines.get(lines.size() - 1));
      assertThat(lines.get(lines.size() - 1))
          .matches("Stopped after \\d+\\.\\d s: 1 STOPPED, 0 FAILED; 300 delivered, 0 failed");
      assertThat(lines.stream().filter(line -> line.startsWith("health ")))
          .singleElement().asString()
          .matches("health \\{\"status\":\"ok\",\"agents\":\\{\"orders\":\"[^\"]+\"},\"now\":\"[^\"]+\"}");
      assertThat(lines.stream().filter(line -> line.startsWith("[orders] RUNNING, ")))
          .allMatch(line -> line.matches("\\[orders] RUNNING, healthy; delivered \\d+ \\(\\d+\\.\\d/s\\), failed 0;"
              + " lag (\\d+|\\?), buffered \\d+ events? \\(\\d+(\\.\\d)? (B|KiB|MiB)\\), \\d+ in flight;"
              + " last delivery (none yet|\\d+\\.\\d s ago)"));
    }
  }

  @Test
  void exitsOneWithoutASignalWhenEveryAgentHasFailed() throws Exception {
    // Nothing listens on port 1; with max_retries 1 the agent gives up after its second attempt.
    Path config = KrakendJson.agent("lonely", "nowhere", "127.0.0.1:1", "lonely-group", "http://127.0.0.1:1")
        .connection("{\"max_retries\": 1, \"backoff_strategy\": \"linear\"}")
        .writeTo(directory);

    int exitCode = runner.submit(() -> cli.execute("run", "-c", config.toString()))
        .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

    assertThat(exitCode).as("exit code; output:%n%s%nerrors:%n%s", cli.out, cli.err).isEqualTo(1);
    List<String> lines = cli.outLines();
    assertThat(lines).hasSize(10);
    String cause = lines.get(5).substring("[lonely] STARTING -> FAILED: ".length());
    assertThat(lines).containsExactly(
        "Starting 1 agent from " + config,
        KrakendConfig.read(config).agents().get(0).summary(),
        "[lonely] NEW -> STARTING",
        lines.get(3),
        lines.get(4),
        "[lonely] STARTING -> FAILED: " + cause,
        "health {\"status\":\"unhealthy\",\"agents\":{\"lonely\":null}," + lines.get(6).substring(lines.get(6)
            .indexOf("\"now\":")),
        "Every agent has failed; stopping",
        "[lonely] FAILED: " + cause,
        lines.get(9));
    assertThat(lines.get(3)).matches("\\[lonely] connection lost \\(attempt 0\\): .+; retrying in \\d.*");
    assertThat(lines.get(4)).matches("\\[lonely] connection lost \\(attempt 1\\): .+; giving up");
    assertThat(lines.get(6)).endsWith(",\"unhealthy\":{\"lonely\":\"FAILED: " + cause + "\"}}");
    assertThat(lines.get(9)).matches("Stopped after \\d+\\.\\d s: 0 STOPPED, 1 FAILED; 0 delivered, 0 failed");
  }

  @Test
  void anAgentThatFailsLeavesTheOthersRunningAndMakesTheExitCodeOne(EmbeddedKafka kafka) throws Exception {
    String topic = EmbeddedKafka.uniqueTopic("survivor");
    String group = EmbeddedKafka.uniqueGroup("survivor");
    kafka.createTopic(topic, 2);
    NumberedRecords records = NumberedRecords.forTopic(topic).count(50).distinctKeys(10);
    try (RecordingHttpBackend backend = RecordingHttpBackend.start()) {
      Path config = KrakendJson.write(directory,
          KrakendJson.agent("survivor", topic, kafka.bootstrapServers(), group, backend.uri().toString()),
          KrakendJson.agent("doomed", topic, "127.0.0.1:1", "doomed-group", backend.uri().toString())
              .connection("{\"max_retries\": 1, \"backoff_strategy\": \"linear\"}"));

      Future<Integer> exit = runner.submit(() -> cli.execute("run", "-c", config.toString()));
      String running = "Running 1 of 2 agents; Ctrl-C or SIGTERM drains and stops";
      awaitOutputLine(line -> line.equals(running), running);
      kafka.produce(records.records());
      backend.awaitRequests(50, DEADLINE);
      assertThat(cli.stop()).isTrue();
      int exitCode = exit.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

      assertThat(exitCode).as("exit code; output:%n%s%nerrors:%n%s", cli.out, cli.err).isEqualTo(1);
      assertThat(kafka.committedOffsets(group, topic)).isEqualTo(kafka.endOffsets(topic));
      List<String> lines = cli.outLines();
      assertThat(lines).contains("Stopping 2 agents; draining for up to 30s", "[survivor] STOPPING -> STOPPED");
      assertThat(lines.get(lines.size() - 2)).startsWith("[doomed] FAILED: ");
      assertThat(lines.get(lines.size() - 1))
          .matches("Stopped after \\d+\\.\\d s: 1 STOPPED, 1 FAILED; 50 delivered, 0 failed");
    }
  }

  @Test
  void servesHealthAndTheAgentsMetricsOnThePortItPrintsUntilItHasStopped(EmbeddedKafka kafka) throws Exception {
    String topic = EmbeddedKafka.uniqueTopic("metered");
    String group = EmbeddedKafka.uniqueGroup("metered");
    kafka.createTopic(topic, 3);
    NumberedRecords records = NumberedRecords.forTopic(topic).count(120).distinctKeys(12);
    try (RecordingHttpBackend backend = RecordingHttpBackend.start()) {
      Path config = KrakendJson.agent("metered", topic, kafka.bootstrapServers(), group, backend.uri().toString())
          .writeTo(directory);

      Future<Integer> exit = runner.submit(() -> cli.execute("run", "-c", config.toString(), "--port", "0"));
      awaitOutputLine(line -> line.equals(RUNNING), RUNNING);
      ServedEndpoints served = ServedEndpoints.in(cli.outLines())
          .orElseThrow(() -> new AssertionError("no Serving line in:\n" + cli.out));
      kafka.produce(records.records());
      backend.awaitRequests(120, DEADLINE);
      // The backend has a request before the agent has the answer and counts the delivery.
      Await.until(DEADLINE, () -> served.deliveredTotal("metered", topic) >= 120, "120 deliveries in /metrics");

      HttpResponse<String> metrics = served.get("/metrics");
      HttpResponse<String> health = served.get("/__health");

      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(ServedEndpoints.deliveredTotal(metrics.body(), "metered", topic)).isEqualTo(120.0);
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(health.body())
          .matches("\\{\"status\":\"ok\",\"agents\":\\{\"metered\":\"[^\"]+\"},\"now\":\"[^\"]+\"}");

      assertThat(cli.stop()).isTrue();
      int exitCode = exit.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

      assertThat(exitCode).as("exit code; output:%n%s%nerrors:%n%s", cli.out, cli.err).isZero();
      List<String> lines = cli.outLines();
      assertThat(withoutProgressAndHealth(lines)).containsExactly(
          "Starting 1 agent from " + config,
          KrakendConfig.read(config).agents().get(0).summary(),
          served.servingLine(),
          "[metered] NEW -> STARTING",
          "[metered] STARTING -> RUNNING",
          RUNNING,
          "Stopping 1 agent; draining for up to 30s",
          "[metered] RUNNING -> STOPPING",
          "[metered] STOPPING -> STOPPED",
          lines.get(lines.size() - 1));
      assertThat(lines.get(lines.size() - 1))
          .matches("Stopped after \\d+\\.\\d s: 1 STOPPED, 0 FAILED; 120 delivered, 0 failed");
      assertThatThrownBy(() -> served.get("/__health")).as("the server is closed once the run has stopped")
          .isInstanceOf(ConnectException.class);
    }
  }

  private void awaitOutputLine(Predicate<String> line, String description) {
    Await.until(DEADLINE, () -> cli.outLines().stream().anyMatch(line),
        () -> description + "; output so far:\n" + cli.out + "\nerrors so far:\n" + cli.err);
  }

  private static List<String> withoutProgressAndHealth(List<String> lines) {
    return lines.stream()
        .filter(line -> !line.matches("\\[\\w+] RUNNING, .*") && !line.startsWith("health "))
        .toList();
  }
}
