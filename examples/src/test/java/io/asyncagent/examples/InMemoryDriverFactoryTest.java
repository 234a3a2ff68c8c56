package io.asyncagent.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncagent.AgentGroup;
import io.asyncagent.InvalidConfigException;
import io.asyncagent.krakend.AgentDefinition;
import io.asyncagent.krakend.KrakendConfig;
import io.asyncagent.testkit.RecordingHttpBackend;
import io.asyncagent.testkit.RecordedRequest;
import java.io.StringReader;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** KrakendConfig finds the example driver by its namespace, through META-INF/services. */
class InMemoryDriverFactoryTest {
  private final InMemoryLog log = InMemoryLog.named("factory-" + UUID.randomUUID());

  private static String krakendJson(String driverBlock, String backendHost) {
    return """
        {
          "version": 3,
          "async_agent": [{
            "name": "from-file",
            "consumer": {"topic": "orders", "workers": 2},
            "backend": [{"host": ["%s"], "url_pattern": "/orders", "method": "POST"}],
            "extra_config": {"example/in-memory": %s}
          }]
        }
        """.formatted(backendHost, driverBlock);
  }

  @Test
  void anAgentOfAKrakendJsonRunsOnTheDriverItsNamespaceNames() {
    log.createTopic("orders", 1);
    log.append("orders", 0, "{\"order\":1}");
    log.append("orders", 0, "{\"order\":2}");
    try (RecordingHttpBackend billing = RecordingHttpBackend.start()) {
      KrakendConfig config = KrakendConfig.read(
          new StringReader(krakendJson("{\"log\": \"" + log.name() + "\"}", billing.uri().toString())), "inline.json");
      AgentDefinition agent = config.agents().get(0);
      assertThat(agent.namespace()).isEqualTo("example/in-memory");
      assertThat(agent.driver().summary()).isEqualTo("in-memory log " + log.name());

      try (AgentGroup agents = config.newGroup()) {
        agents.start();
        billing.awaitRequests(2, Duration.ofSeconds(10));
      }

      assertThat(billing.requests()).extracting(RecordedRequest::bodyAsString)
          .containsExactlyInAnyOrder("{\"order\":1}", "{\"order\":2}");
    }
  }

  @Test
  void everyProblemOfTheBlockIsReportedWithItsPath() {
    String json = krakendJson("{\"log\": 5, \"size\": 3}", "http://billing:8080");

    assertThatThrownBy(() -> KrakendConfig.read(new StringReader(json), "inline.json"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("invalid inline.json (2 problems):\n"
            + "  async_agent[0].extra_config.\"example/in-memory\".log: must be a string, but was 5\n"
            + "  async_agent[0].extra_config.\"example/in-memory\".size: unknown field; the fields here are log");
  }

  @Test
  void aBlankLogNameIsReportedWithTheRuleOfInMemoryLogNamed() {
    String json = krakendJson("{\"log\": \" \"}", "http://billing:8080");

    assertThatThrownBy(() -> KrakendConfig.read(new StringReader(json), "inline.json"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("invalid inline.json: async_agent[0].extra_config.\"example/in-memory\".log: must not be blank,"
            + " but was \" \"");
  }
}
