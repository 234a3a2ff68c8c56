package io.asyncagent.krakend;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asyncagent.AgentGroup;
import io.asyncagent.AgentListener;
import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.BackoffStrategy;
import io.asyncagent.ConnectionPolicy;
import io.asyncagent.FailurePolicy;
import io.asyncagent.InvalidConfigException;
import io.asyncagent.Ordering;
import io.asyncagent.Violation;
import io.asyncagent.kafka.Cluster;
import io.asyncagent.kafka.Group;
import io.asyncagent.kafka.IsolationLevel;
import io.asyncagent.kafka.KafkaDriver;
import io.asyncagent.kafka.RebalanceStrategy;
import io.asyncagent.kafka.StartPosition;
import io.asyncagent.testkit.Await;
import io.asyncagent.testkit.RecordedRequest;
import io.asyncagent.testkit.RecordingHttpBackend;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KrakendConfigTest {
  private static final Duration AWAIT = Duration.ofSeconds(10);

  @Test
  void readsTheSeedPagesDriverBlockWithTheDocumentsGroupIdAndReadCommited() {
    AgentDefinition stocks = only("valid/seed-group-id.json");

    assertThat(stocks.name()).isEqualTo("stocks");
    assertThat(stocks.topics()).containsExactly("stocks");
    assertThat(stocks.namespace()).isEqualTo("async/kafka");
    assertThat(stocks.driver()).isEqualTo(KafkaDriver.builder()
        .cluster(Cluster.builder().brokers("localhost:9092").clientId("cid_stocksconsumer").build())
        .group(Group.builder().id("my_group_id").isolationLevel(IsolationLevel.READ_COMMITTED).build())
        .keyMeta("Message-Id")
        .build());
    assertThat(stocks.workers()).isEqualTo(20);
    assertThat(stocks.timeout()).isEqualTo(Duration.ofMillis(150));
    assertThat(stocks.maxRate()).isEqualTo(0.5);
    assertThat(stocks.connection()).isEqualTo(ConnectionPolicy.builder().maxRetries(10)
        .backoff(BackoffStrategy.EXPONENTIAL_JITTER).healthInterval(Duration.ofSeconds(10)).build());
    assertThat(stocks.sinkCount()).isEqualTo(1);
    assertThat(stocks.ordering()).isEqualTo(Ordering.UNORDERED);
    assertThat(stocks.onFailure()).isEqualTo(FailurePolicy.skip());
  }

  @Test
  void readsTheSeedPagesSaslBlockWithoutShowingThePassword() {
    AgentDefinition payments = only("valid/seed-sasl.json");

    KafkaDriver driver = (KafkaDriver) payments.driver();
    assertThat(driver.cluster().sasl()).hasValueSatisfying(sasl -> {
      assertThat(sasl.user()).isEqualTo("johnsmith");
      assertThat(sasl.password().reveal()).isEqualTo("myp4ssword");
    });
    assertThat(payments.summary() + payments.driver()).doesNotContain("myp4ssword");
  }

  @Test
  void acceptsTheSchemasAndTheDocumentsSpellingsOfGroupIdAndIsolationLevel() {
    List<AgentDefinition> agents = KrakendConfig.read(Fixtures.file("valid/schema-spellings.json")).agents();

    assertThat(agents).extracting(agent -> ((KafkaDriver) agent.driver()).group().orElseThrow())
        .extracting(Group::id, Group::isolationLevel)
        .containsExactly(
            tuple("schema-group", IsolationLevel.READ_UNCOMMITTED),
            tuple("docs-group", IsolationLevel.READ_UNCOMMITTED),
            tuple("committed-group", IsolationLevel.READ_COMMITTED));
  }

  @Test
  void readsEveryFieldOfTheKafkaBlock() {
    AgentDefinition agent = only("valid/kafka-every-field.json");

    assertThat(agent.driver()).isEqualTo(KafkaDriver.builder()
        .cluster(Cluster.builder().brokers("kafka-1:9092", "kafka-2:9092", "kafka-3:9092").clientId("every-field")
            .channelBufferSize(128).dialTimeout(Duration.ofSeconds(10)).keepAlive(Duration.ZERO)
            .metadataRetryBackoff(Duration.ofSeconds(1)).metadataRetryMax(10).rackId("eu-west-1a")
            .readTimeout(Duration.ofSeconds(20)).writeTimeout(Duration.ofSeconds(25)).build())
        .group(Group.builder().id("every-field-group").fetchDefault(2_097_152)
            .heartbeatInterval(Duration.ofSeconds(2)).sessionTimeout(Duration.ofSeconds(30))
            .rebalanceTimeout(Duration.ofSeconds(90))
            .rebalanceStrategies(RebalanceStrategy.STICKY, RebalanceStrategy.RANGE)
            .instanceId("every-field-1").isolationLevel(IsolationLevel.READ_COMMITTED).build())
        .keyMeta("X-Key")
        .startFrom(StartPosition.earliest())
        .commitInterval(Duration.ofMillis(500))
        .build());
  }

  @Test
  void appliesKrakendsNormalisationsOfRetriesBackoffHealthIntervalWorkersAndRate() {
    List<AgentDefinition> agents = KrakendConfig.read(Fixtures.file("valid/normalisations.json")).agents();

    AgentDefinition normalised = agents.get(0);
    assertThat(normalised.connection()).isEqualTo(ConnectionPolicy.builder().maxRetries(0)
        .backoff(BackoffStrategy.EXPONENTIAL_JITTER).healthInterval(Duration.ofSeconds(1)).build());
    assertThat(normalised.workers()).isEqualTo(1);
    assertThat(normalised.maxRate()).isZero();
    AgentDefinition subOne = agents.get(1);
    assertThat(subOne.connection().backoff()).isEqualTo(BackoffStrategy.FALLBACK);
    assertThat(subOne.connection().healthInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(subOne.maxRate()).isEqualTo(0.25);
  }

  @Test
  void readsOurOwnNamespace() {
    List<AgentDefinition> agents = KrakendConfig.read(Fixtures.file("valid/own-namespace.json")).agents();

    AgentDefinition ordered = agents.get(0);
    assertThat(ordered.ordering()).isEqualTo(Ordering.KEY);
    assertThat(ordered.bufferSize()).contains(512);
    assertThat(ordered.maxBufferedBytes()).contains(64L * 1024 * 1024);
    assertThat(ordered.startTimeout()).contains(Duration.ofSeconds(45));
    assertThat(ordered.drainTimeout()).contains(Duration.ofSeconds(10));
    assertThat(ordered.onFailure()).isEqualTo(FailurePolicy.retry().maxAttempts(5)
        .backoff(Duration.ofMillis(200), Duration.ofMinutes(1)).maxRetryAfter(Duration.ofMinutes(2)).build());
    AgentDefinition defaults = agents.get(1);
    assertThat(defaults.onFailure()).isEqualTo(FailurePolicy.retry().build());
    assertThat(defaults.ordering()).isEqualTo(Ordering.UNORDERED);
    assertThat(defaults.bufferSize()).isEmpty();
    assertThat(defaults.maxBufferedBytes()).isEmpty();
    assertThat(defaults.startTimeout()).isEmpty();
    assertThat(defaults.drainTimeout()).isEmpty();
  }

  @Test
  void takesTheRootTimeoutWhenConsumerTimeoutIsAbsentOrZero() {
    List<AgentDefinition> agents = KrakendConfig.read(Fixtures.file("valid/root-fallbacks.json")).agents();

    assertThat(agents).extracting(AgentDefinition::timeout)
        .containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(750));
  }

  @Test
  void readsGoDurationsWithFractionsAndSeveralUnits() {
    AgentDefinition agent = only("valid/durations.json");

    assertThat(agent.timeout()).isEqualTo(Duration.ofMinutes(90));
    assertThat(agent.connection().healthInterval()).isEqualTo(Duration.ofMinutes(165));
    assertThat(agent.startTimeout()).contains(Duration.ofMillis(120_500));
    assertThat(agent.drainTimeout()).contains(Duration.ZERO);
    assertThat(((KafkaDriver) agent.driver()).cluster().metadataRetryBackoff()).isEqualTo(Duration.ofNanos(1_500_000));
  }

  @Test
  void reportsProblemsInTheOrderOfTheTextNotTheOrderTheyAreRead() {
    String json = "{\"async_agent\": [{\n"
        + "  \"extra_config\": {\"async/kafka\": {\"cluster\": {\"brokers\": []}}},\n"
        + "  \"backend\": [{\"url_pattern\": \"/x\", \"host\": \"nope\"}],\n"
        + "  \"consumer\": {\"workers\": \"many\", \"topic\": \"events\"},\n"
        + "  \"name\": 42\n"
        + "}], \"timeout\": \"soon\"}";

    InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
        () -> KrakendConfig.read(new StringReader(json), "inline.json"));

    assertThat(e.violations()).extracting(Violation::toString).containsExactly(
        "async_agent[0].extra_config.\"async/kafka\".cluster.brokers: must name at least one broker, but was empty",
        "async_agent[0].backend[0].host: must be an array of strings, but was \"nope\"",
        "async_agent[0].consumer.workers: must be a whole number, but was \"many\"",
        "async_agent[0].name: must be a string, but was 42",
        "timeout: must be a Go duration such as \"250ms\" or \"1m30s\", but was \"soon\"");
  }

  @Test
  void theExceptionNamesTheSourceAndListsEveryProblem() {
    String json = "{\"async_agent\": [{\"name\": \" \", \"consumer\": {\"topic\": \"t\"}, "
        + "\"backend\": [{\"host\": [\"http://sink:8080\"], \"url_pattern\": \"/\"}], "
        + "\"extra_config\": {\"async/amqp\": {}}}]}";

    assertThatThrownBy(() -> KrakendConfig.read(new StringReader(json), "gateway/krakend.json"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("invalid gateway/krakend.json (2 problems):\n"
            + "  async_agent[0].name: must not be blank, but was \" \"\n"
            + "  async_agent[0].extra_config.\"async/amqp\": is not supported: this library has no AMQP driver; its"
            + " drivers are async/kafka, test/fake");
  }

  @Test
  void aSyntaxErrorIsOneProblemAtTheDocumentNamingLineAndColumn() {
    assertThatThrownBy(() -> KrakendConfig.read(new StringReader("{\n  \"async_agent\": [,]\n}"), "broken.json"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("invalid broken.json: $: must be valid JSON, but Unexpected character (',' (code 44)): expected a"
            + " valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at line 2,"
            + " column 19");
  }

  @Test
  void readsAJacksonTreeAsItReadsTheSameText() throws Exception {
    Path file = Fixtures.file("valid/several-agents.json");
    JsonNode tree = new ObjectMapper().readTree(Files.readString(file, UTF_8));

    KrakendConfig fromTree = KrakendConfig.read(tree, "tree");

    assertThat(fromTree.agents()).extracting(AgentDefinition::summary)
        .containsExactlyElementsOf(Fixtures.expected(file));
    assertThat(fromTree.source()).isEqualTo("tree");
  }

  @Test
  void reportsTheProblemsOfAJacksonTreeInTheOrderOfItsFields() throws Exception {
    JsonNode tree = new ObjectMapper().readTree("{\"host\": 5, \"async_agent\": [], \"timeout\": 1}");

    InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
        () -> KrakendConfig.read(tree, "tree"));

    assertThat(e.violations()).extracting(Violation::toString).containsExactly(
        "host: must be an array of strings, but was 5",
        "async_agent: must hold at least one agent, but was empty",
        "timeout: must be a Go duration such as \"250ms\" or \"1m30s\", but was 1");
  }

  @Test
  void aFileThatCannotBeReadIsAnUncheckedIOExceptionNamingIt() {
    Path missing = Path.of("target", "no-such-krakend.json");

    assertThatThrownBy(() -> KrakendConfig.read(missing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("cannot read " + missing + ": no such file");
  }

  @Test
  void eachNewBuilderMakesFreshSinksFromTheRecipesAndAMoreSpecificFactoryIsAskedBeforeHttp() {
    String json = "{\"async_agent\": [{\"name\": \"counted\", \"consumer\": {\"topic\": \"t\", \"timeout\": \"3s\"},"
        + " \"backend\": [{\"extra_config\": {\"test/counting\": {\"label\": \"fresh\"}}}],"
        + " \"extra_config\": {\"test/fake\": {\"label\": \"f\"}}}]}";
    KrakendConfig config = KrakendConfig.read(new StringReader(json), "inline.json");
    AgentDefinition counted = config.agents().get(0);
    assertThat(CountingSinkFactory.MADE.get("fresh")).hasValue(0);

    counted.newBuilder();
    counted.newBuilder();
    try (AgentGroup group = config.newGroup()) {
      assertThat(group.agents()).hasSize(1);
      assertThat(CountingSinkFactory.MADE.get("fresh")).hasValue(3);
    }
    assertThat(counted.summary()).isEqualTo("counted: topics [t] via test/fake (label f, 0 events) -> 1 backend"
        + " (counting fresh for counted within PT3S); workers 1, timeout 3s, max_rate unlimited");
  }

  @Test
  void eachNewGroupHoldsNewAgents() {
    KrakendConfig config = KrakendConfig.read(Fixtures.file("valid/several-agents.json"));

    try (AgentGroup first = config.newGroup(); AgentGroup second = config.newGroup()) {
      assertThat(first.agents()).extracting(AsyncAgent::name).containsExactly("orders", "audit", "shipments");
      for (int i = 0; i < 3; i++) {
        assertThat(first.agents().get(i)).isNotSameAs(second.agents().get(i));
      }
    }
  }

  @Test
  void deliversTheEventsOfANonKafkaDriverToTheHttpBackendWithKrakendsDefaultGet() {
    try (RecordingHttpBackend server = RecordingHttpBackend.start()) {
      String json = "{\"async_agent\": [{\"name\": \"fake\", \"consumer\": {\"topic\": \"t\"},"
          + " \"backend\": [{\"host\": [\"" + server.uri() + "\"], \"url_pattern\": \"/events\"}],"
          + " \"extra_config\": {\"test/fake\": {\"label\": \"e2e\", \"events\": [\"one\", \"two\"]}}}]}";
      KrakendConfig config = KrakendConfig.read(new StringReader(json), "inline.json");
      List<AgentState> states = new CopyOnWriteArrayList<>();

      try (AsyncAgent agent = config.agents().get(0).newBuilder()
          .listener(new AgentListener() {
            @Override
            public void stateChanged(AsyncAgent agent, AgentState from, AgentState to) {
              states.add(to);
            }
          })
          .build()) {
        agent.start();
        Await.until(AWAIT, () -> server.requestCount() >= 2, "2 requests");
      }

      assertThat(server.requests()).extracting(RecordedRequest::method).containsOnly("GET");
      assertThat(server.requests()).extracting(RecordedRequest::path).containsOnly("/events");
      assertThat(server.requests().stream().map(RecordedRequest::bodyAsString).collect(Collectors.toSet()))
          .containsExactlyInAnyOrder("one", "two");
      assertThat(states).contains(AgentState.RUNNING, AgentState.STOPPED);
    }
  }

  @Test
  void noSecretAppearsInASummaryOrADriversDescription() {
    for (String file : List.of("valid/backend-fields.json", "valid/seed-sasl.json", "valid/client-tls.json",
        "valid/schema-spellings.json")) {
      KrakendConfig config = KrakendConfig.read(Fixtures.file(file));
      for (AgentDefinition agent : config.agents()) {
        assertThat(agent.summary() + " " + agent.driver() + " " + config)
            .doesNotContain("p4ss", "myp4ssword", "s3cret");
      }
    }
  }

  private static AgentDefinition only(String fixture) {
    List<AgentDefinition> agents = KrakendConfig.read(Fixtures.file(fixture)).agents();
    assertThat(agents).hasSize(1);
    return agents.get(0);
  }
}
