package io.asyncagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AsyncAgent;
import io.asyncagent.BackendSink;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.NumberedRecords;
import io.asyncagent.testkit.WithEmbeddedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@WithEmbeddedKafka
class CustomSinksIT {
  private static final Duration WAIT = Duration.ofMinutes(1);

  private static AsyncAgent agent(EmbeddedKafka kafka, String topic, BackendSink sink) {
    String group = EmbeddedKafka.uniqueGroup("sinks");
    return AsyncAgent.builder()
        .name(group)
        .topics(topic)
        .workers(4)
        .driver(KafkaDriver.builder()
            .cluster(Cluster.builder().brokers(kafka.bootstrapServers()).build())
            .group(Group.builder().id(group).build())
            .build())
        .sink(sink)
        .build();
  }

  @Test
  void thePricingSinkPublishesEveryEventUnderItsSymbol(EmbeddedKafka kafka) {
    String topic = EmbeddedKafka.uniqueTopic("prices");
    kafka.createTopic(topic, 2);
    NumberedRecords batch = NumberedRecords.forTopic(topic).count(100).distinctKeys(4);
    Map<String, String> published = new ConcurrentHashMap<>();
    CustomSinks.PricingClient client = (symbol, update) -> CompletableFuture.supplyAsync(() -> {
      published.put(update, symbol);
      return 200;
    });

    try (AsyncAgent agent = agent(kafka, topic, new CustomSinks.PricingSink(client))) {
      agent.start();
      kafka.produce(batch.records());
      Await.until(WAIT, () -> published.size() >= 100, () -> "100 updates, got " + published.size());
    }

    assertThat(published.keySet()).isEqualTo(batch.values());
    published.forEach((update, symbol) ->
        assertThat(symbol).isEqualTo("key-" + NumberedRecords.numberOf(update) % 4));
  }

  @Test
  void theOutboxSinkWritesOneFilePerEventNamedByItsCoordinates(EmbeddedKafka kafka, @TempDir Path outbox)
      throws IOException {
    String topic = EmbeddedKafka.uniqueTopic("outbox");
    kafka.createTopic(topic, 2);
    NumberedRecords batch = NumberedRecords.forTopic(topic).count(60).distinctKeys(6);

    try (AsyncAgent agent = agent(kafka, topic, CustomSinks.outbox(outbox))) {
      agent.start();
      kafka.produce(batch.records());
      Await.until(WAIT, () -> jsonFiles(outbox).size() >= 60, () -> "60 files");
    }

    List<Path> files = jsonFiles(outbox);
    assertThat(files).hasSize(60).allSatisfy(file ->
        assertThat(file.getFileName().toString()).matches(topic + "-[01]@\\d+\\.json"));
    assertThat(files.stream().map(CustomSinksIT::read).collect(Collectors.toSet())).isEqualTo(batch.values());
  }

  private static List<Path> jsonFiles(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(file -> file.toString().endsWith(".json")).toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
