package io.asyncagent.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncagent.AsyncAgent;
import io.asyncagent.InvalidConfigException;
import io.asyncagent.Violation;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class KafkaDriverBuilderTest {
  private static final Cluster CLUSTER = Cluster.builder().brokers("localhost:9092").build();

  @Test
  void rejectsBrokersThatAreNotHostAndPort() {
    assertThatThrownBy(() -> Cluster.builder().brokers("localhost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cluster.brokers[0] must be host:port with a port from 1 to 65535, but was 'localhost'");
    assertThatThrownBy(() -> Cluster.builder().brokers("a:9092", "b:99999"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cluster.brokers[1] must be host:port with a port from 1 to 65535, but was 'b:99999'");
    assertThatThrownBy(() -> Cluster.builder().brokers())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cluster.brokers must name at least one broker, but was empty");
  }

  @Test
  void requiresBrokersAndAGroupId() {
    assertThatThrownBy(() -> Cluster.builder().build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("invalid cluster: cluster.brokers: at least one broker is required");
    assertThatThrownBy(() -> Group.builder().build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("invalid group: group.id: is required");
    assertThatThrownBy(() -> KafkaDriver.builder().build())
        .isInstanceOfSatisfying(InvalidConfigException.class,
            e -> assertThat(e.violations()).containsExactly(new Violation("cluster", "is required")));
  }

  @Test
  void rejectsBlankNames() {
    assertThatThrownBy(() -> Cluster.builder().clientId(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cluster.clientId must not be blank, but was ''");
    assertThatThrownBy(() -> Group.builder().id(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("group.id must not be blank, but was ' '");
    assertThatThrownBy(() -> KafkaDriver.builder().keyMeta(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keyMeta must not be blank, but was ''");
    assertThatThrownBy(() -> Sasl.plain(" ", "secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sasl.user must not be blank, but was ' '");
  }

  @Test
  void checksTheGroupsTimingsAndNames() {
    assertThatThrownBy(() -> Group.builder().id("g").heartbeatInterval(Duration.ofSeconds(10)).build())
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("invalid group: group.heartbeatInterval: must be < sessionTimeout (10s), but was 10s");
    assertThatThrownBy(() -> Group.builder().sessionTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("group.sessionTimeout must be > 0, but was 0s");
    assertThatThrownBy(() -> Group.builder().instanceId("agent 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("group.instanceId must be 1 to 249 of [0-9a-zA-Z._-], but was 'agent 1'");
    assertThatThrownBy(() -> Group.builder().rebalanceStrategies())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("group.rebalanceStrategies must name at least one strategy, but was empty");
    assertThatThrownBy(() -> Group.builder().rebalanceStrategies(RebalanceStrategy.RANGE, RebalanceStrategy.RANGE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("group.rebalanceStrategies must not repeat a strategy, but was [RANGE, RANGE]");
  }

  @Test
  void reportsEveryProblemOfAGroupTogether() {
    assertThatThrownBy(() -> Group.builder().heartbeatInterval(Duration.ofMinutes(1)).build())
        .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.violations()).containsExactly(
            new Violation("group.id", "is required"),
            new Violation("group.heartbeatInterval", "must be < sessionTimeout (10s), but was 1m0s")));
  }

  @Test
  void checksTheMetadataRetrySettingsAndDerivesTheBlipTolerance() {
    assertThat(CLUSTER.blipTolerance()).isEqualTo(Duration.ofMillis(750));
    assertThat(CLUSTER.toBuilder().metadataRetryMax(10).metadataRetryBackoff(Duration.ofSeconds(1)).build()
        .blipTolerance()).isEqualTo(Duration.ofSeconds(10));
    assertThat(CLUSTER.toBuilder().metadataRetryMax(0).build().blipTolerance()).isEqualTo(Duration.ZERO);
    assertThatThrownBy(() -> Cluster.builder().metadataRetryMax(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cluster.metadataRetryMax must be >= 0, but was -1");
    assertThatThrownBy(() -> Cluster.builder().metadataRetryBackoff(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cluster.metadataRetryBackoff must be > 0, but was -1ms");
  }

  @Test
  void rejectsACommitIntervalThatIsNotPositive() {
    assertThatThrownBy(() -> KafkaDriver.builder().commitInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("commitInterval must be > 0, but was 0s");
  }

  @Test
  void rejectsTopicNamesKafkaWouldRefuseWhenTheAgentIsBuilt() {
    KafkaDriver driver = KafkaDriver.builder().cluster(CLUSTER).build();

    assertThatThrownBy(() -> AsyncAgent.builder().name("a").topics("ok", "not ok", "..").driver(driver)
            .sink(event -> CompletableFuture.completedFuture(null)).build())
        .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.violations()).containsExactly(
            new Violation("topics[1]", "must contain only ASCII letters, digits, '.', '_' and '-', but was 'not ok'"),
            new Violation("topics[2]", "must not be '.' or '..', but was '..'")));
  }

  @Test
  void valueObjectsCompareByValueAndCopyThroughToBuilder() {
    KafkaDriver driver = KafkaDriver.builder()
        .cluster(Cluster.builder().brokers("k:9092").clientId("c").sasl(Sasl.plain("u", "p")).build())
        .group(Group.builder().id("g").build())
        .keyMeta("Message-Id")
        .build();

    assertThat(driver.toBuilder().build()).isEqualTo(driver).hasSameHashCodeAs(driver);
    assertThat(driver.cluster().toBuilder().clientId("other").build()).isNotEqualTo(driver.cluster());
    assertThat(driver.group().orElseThrow().toBuilder().build()).isEqualTo(driver.group().orElseThrow());
    assertThat(Sasl.plain("u", "p")).isNotEqualTo(Sasl.plain("u", "q"));
  }

  @Test
  void neverPrintsThePassword() {
    KafkaDriver driver = KafkaDriver.builder()
        .cluster(Cluster.builder().brokers("k:9092").sasl(Sasl.plain("johnsmith", "myp4ssword")).build())
        .build();

    assertThat(driver.toString()).doesNotContain("myp4ssword").contains("user=johnsmith, password=****");
  }
}
