package io.asyncagent.testkit;

import static io.asyncagent.testkit.EmbeddedKafkaExtension.BACKING_PROPERTY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs small test classes (the nested ones below, which surefire does not pick up itself) through JUnit's engine and
 * checks how they end: none of them starts a broker.
 */
class EmbeddedKafkaExtensionTest {
  private static final String DOCKER_UNAVAILABLE =
      "Docker is not available, and asyncagent.testkit.kafka=testcontainers runs Kafka in a Docker container";
  private static final AtomicInteger RUNS = new AtomicInteger();

  @BeforeEach
  void resetRuns() {
    RUNS.set(0);
  }

  @Test
  void skipsTheTestClassWhenTheBackingIsTestcontainersAndDockerIsNotAvailable() {
    assumeFalse(Docker.isAvailable(), "Docker is available here");

    EngineExecutionResults results = run(TakesAKafkaCluster.class, "testcontainers");

    results.containerEvents().assertThatEvents()
        .haveExactly(1, event(container(TakesAKafkaCluster.class), skippedWithReason(DOCKER_UNAVAILABLE)));
    results.allEvents().assertStatistics(stats -> stats.failed(0).aborted(0));
    results.testEvents().assertStatistics(stats -> stats.started(0));
    assertThat(RUNS.get()).isZero();
  }

  @Test
  void readsTheBackingFromASystemProperty() {
    assumeFalse(Docker.isAvailable(), "Docker is available here");
    String before = System.getProperty(BACKING_PROPERTY);
    System.setProperty(BACKING_PROPERTY, "testcontainers");
    EngineExecutionResults results;
    try {
      results =
          EngineTestKit.engine("junit-jupiter")
              .enableImplicitConfigurationParameters(true)
              .selectors(selectClass(TakesAKafkaCluster.class))
              .execute();
    } finally {
      if (before == null) {
        System.clearProperty(BACKING_PROPERTY);
      } else {
        System.setProperty(BACKING_PROPERTY, before);
      }
    }

    results.containerEvents().assertThatEvents()
        .haveExactly(1, event(container(TakesAKafkaCluster.class), skippedWithReason(DOCKER_UNAVAILABLE)));
    assertThat(RUNS.get()).isZero();
  }

  @Test
  void runsTheTestClassWhenTheBackingIsEmbedded() {
    EngineExecutionResults results = run(AsksForNoCluster.class, "embedded");

    results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
    assertThat(RUNS.get()).isEqualTo(1);
  }

  @Test
  void embeddedIsTheDefaultBacking() {
    EngineExecutionResults results =
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(AsksForNoCluster.class)).execute();

    results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
    assertThat(RUNS.get()).isEqualTo(1);
  }

  @Test
  void skipsOnlyTheTestsThatTakeAnEmbeddedKafkaWhenDockerIsAvailable() {
    EngineExecutionResults results = run(TakesAnEmbeddedKafka.class, "testcontainers");

    results.testEvents().assertStatistics(stats -> stats.skipped(1).started(1).succeeded(1));
    results.testEvents().assertThatEvents()
        .haveExactly(
            1,
            event(
                test("needsTheInJvmBroker"),
                skippedWithReason(
                    "TakesAnEmbeddedKafka.needsTheInJvmBroker(EmbeddedKafka) takes an EmbeddedKafka, the in-JVM"
                        + " broker, but asyncagent.testkit.kafka=testcontainers; a KafkaCluster parameter runs on"
                        + " either")));
    assertThat(RUNS.get()).isEqualTo(1);
  }

  @Test
  void skipsTheWholeClassWhenALifecycleMethodTakesAnEmbeddedKafka() {
    EngineExecutionResults results = run(BeforeEachTakesAnEmbeddedKafka.class, "testcontainers");

    results.containerEvents().assertThatEvents()
        .haveExactly(
            1,
            event(
                container(BeforeEachTakesAnEmbeddedKafka.class),
                skippedWithReason(
                    "BeforeEachTakesAnEmbeddedKafka.setUp(EmbeddedKafka) takes an EmbeddedKafka, the in-JVM broker,"
                        + " but asyncagent.testkit.kafka=testcontainers; a KafkaCluster parameter runs on either")));
    assertThat(RUNS.get()).isZero();
  }

  @Test
  void failsTheTestClassWhenTheBackingIsUnknown() {
    EngineExecutionResults results = run(AsksForNoCluster.class, "docker");

    Event failed = results.containerEvents().failed().stream().findFirst().orElseThrow();
    Throwable failure = failed.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    assertThat(failure).rootCause()
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("asyncagent.testkit.kafka must be 'embedded' or 'testcontainers', but was 'docker'");
    assertThat(RUNS.get()).isZero();
  }

  @Test
  void parsesTheBackingIgnoringCaseAndSurroundingBlanks() {
    assertThat(KafkaBacking.parse(" TestContainers ")).isEqualTo(KafkaBacking.TESTCONTAINERS);
    assertThat(KafkaBacking.parse("EMBEDDED")).isEqualTo(KafkaBacking.EMBEDDED);
    assertThatThrownBy(() -> KafkaBacking.parse(""))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("asyncagent.testkit.kafka must be 'embedded' or 'testcontainers', but was ''");
  }

  @Test
  void theDefaultImageIsApacheKafkaOfTheKafkaClientsVersion() {
    assertThat(EmbeddedKafkaExtension.DEFAULT_IMAGE).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
  }

  @Test
  void givesTheContainerTheInJvmBrokersDefaultsAsEnvironmentVariables() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("group.initial.rebalance.delay.ms", "0");
    properties.put("some_key.with-dash", "x");

    assertThat(ContainerKafka.environment(properties))
        .containsExactly(
            Map.entry("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0"), Map.entry("KAFKA_SOME__KEY_WITH___DASH", "x"));
    assertThat(ContainerKafka.environment(ClusterLauncher.DEFAULT_BROKER_PROPERTIES))
        .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
        .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
        .hasSize(ClusterLauncher.DEFAULT_BROKER_PROPERTIES.size());
  }

  private static EngineExecutionResults run(Class<?> testClass, String backing) {
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(testClass))
        .configurationParameter(BACKING_PROPERTY, backing)
        .execute();
  }

  @WithEmbeddedKafka
  static class TakesAKafkaCluster {
    @Test
    void needsABroker(KafkaCluster kafka) {
      RUNS.incrementAndGet();
      assertThat(kafka.bootstrapServers()).isNotEmpty();
    }
  }

  @WithEmbeddedKafka
  static class AsksForNoCluster {
    @Test
    void runs() {
      RUNS.incrementAndGet();
    }
  }

  static class TakesAnEmbeddedKafka {
    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension(() -> true);

    @Test
    void needsTheInJvmBroker(EmbeddedKafka kafka) {
      RUNS.incrementAndGet();
    }

    @Test
    void needsNoBroker() {
      RUNS.incrementAndGet();
    }
  }

  static class BeforeEachTakesAnEmbeddedKafka {
    @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension(() -> true);

    @BeforeEach
    void setUp(EmbeddedKafka kafka) {
      RUNS.incrementAndGet();
    }

    @Test
    void needsNoBroker() {
      RUNS.incrementAndGet();
    }
  }
}
