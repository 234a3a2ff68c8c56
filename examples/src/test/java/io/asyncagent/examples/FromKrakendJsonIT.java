package io.asyncagent.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asyncagent.AgentGroup;
import io.asyncagent.AgentState;
import io.asyncagent.testkit.EmbeddedKafka;
import io.asyncagent.testkit.RecordingHttpBackend;
import io.asyncagent.testkit.WithEmbeddedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@WithEmbeddedKafka
class FromKrakendJsonIT {

  private static Path krakendJson(Path dir, EmbeddedKafka kafka, String topic, RecordingHttpBackend backend)
      throws IOException {
    String json = """
        {
          "version": 3,
          "endpoints": [],
          "async_agent": [
            {
              "name": "%s",
              "connection": {"max_retries": 10, "backoff_strategy": "exponential-jitter", "health_interval": "10s"},
              "consumer": {"topic": "%s", "workers": 4, "timeout": "5s"},
              "backend": [{"host": ["%s"], "url_pattern": "/events", "method": "POST"}],
              "extra_config": {
                "async/kafka": {
                  "cluster": {"brokers": ["%s"], "client_id": "cid_stocksconsumer"},
                  "group": {"group_id": "%s", "isolation_level": "read_commited"},
                  "key_meta": "Message-Id"
                }
              }
            }
          ]
        }
        """.formatted(topic, topic, backend.uri(), kafka.bootstrapServers(), topic + "-group");
    return Files.writeString(dir.resolve("krakend.json"), json);
  }

  @Test
  void runsTheAgentsOfAKrakendJson(EmbeddedKafka kafka, @TempDir Path dir) throws IOException {
    String topic = EmbeddedKafka.uniqueTopic("krakend");
    kafka.createTopic(topic, 2);
    try (RecordingHttpBackend backend = RecordingHttpBackend.start()) {
      Path file = krakendJson(dir, kafka, topic, backend);

      try (AgentGroup agents = FromKrakendJson.run(file)) {
        kafka.produce(List.of(new ProducerRecord<>(topic, "k-1".getBytes(UTF_8), "{\"n\":1}".getBytes(UTF_8))));
        backend.awaitRequests(1, Duration.ofMinutes(1));
        assertThat(agents.agents()).extracting(a -> a.state()).containsExactly(AgentState.RUNNING);
      }

      assertThat(backend.requests()).hasSize(1);
      assertThat(backend.requests().get(0).path()).isEqualTo("/events");
      assertThat(backend.requests().get(0).header("Message-Id")).contains("k-1");
    }
  }

  @Test
  void letsTheHostChangeEachAgentBeforeItIsBuilt(EmbeddedKafka kafka, @TempDir Path dir) throws IOException {
    String topic = EmbeddedKafka.uniqueTopic("krakend");
    kafka.createTopic(topic, 1);
    try (RecordingHttpBackend backend = RecordingHttpBackend.start();
        AgentGroup agents = FromKrakendJson.customised(krakendJson(dir, kafka, topic, backend))) {
      agents.start();
      kafka.produce(List.of(new ProducerRecord<>(topic, null, "{}".getBytes(UTF_8))));
      backend.awaitRequests(1, Duration.ofMinutes(1));
      assertThat(agents.agents()).extracting(a -> a.name()).containsExactly(topic);
    }
  }
}
