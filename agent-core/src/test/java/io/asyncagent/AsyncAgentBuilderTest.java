package io.asyncagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncagent.spi.Driver;
import io.asyncagent.spi.DriverContext;
import io.asyncagent.spi.DriverSession;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AsyncAgentBuilderTest {
  private static final BackendSink SINK = event -> CompletableFuture.completedFuture(null);
  private static final Driver DRIVER = new Driver() {
    @Override
    public String type() {
      return "test";
    }

    @Override
    public Optional<String> checkTopic(String topic) {
      return topic.contains("/") ? Optional.of("must not contain '/', but was '" + topic + "'") : Optional.empty();
    }

    @Override
    public DriverSession connect(DriverContext context) {
      throw new UnsupportedOperationException();
    }
  };

  @Test
  void rejectsWorkersBelowOne() {
    assertThatThrownBy(() -> AsyncAgent.builder().workers(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("workers must be >= 1, but was 0");
  }

  @Test
  void rejectsATimeoutThatIsNotPositive() {
    assertThatThrownBy(() -> AsyncAgent.builder().timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be > 0, but was 0s");
    assertThatThrownBy(() -> AsyncAgent.builder().timeout(Duration.ofMillis(-1500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be > 0, but was -1.5s");
  }

  @Test
  void rejectsANegativeBufferSize() {
    assertThatThrownBy(() -> AsyncAgent.builder().bufferSize(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bufferSize must be >= 0, but was -1");
  }

  @Test
  void rejectsABlankName() {
    assertThatThrownBy(() -> AsyncAgent.builder().name(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, but was ' '");
  }

  @Test
  void rejectsNoTopicsBlankTopicsAndRepeatedTopics() {
    assertThatThrownBy(() -> AsyncAgent.builder().topics())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topics must name at least one topic, but was empty");
    assertThatThrownBy(() -> AsyncAgent.builder().topics("a", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topics[1] must not be blank, but was ''");
    assertThatThrownBy(() -> AsyncAgent.builder().topics("a", "b", "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topics must not repeat a topic, but 'a' appears twice");
  }

  @Test
  void rejectsANegativeDrainTimeoutAndANonPositiveStartTimeout() {
    assertThatThrownBy(() -> AsyncAgent.builder().drainTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("drainTimeout must be >= 0, but was -1s");
    assertThatThrownBy(() -> AsyncAgent.builder().startTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("startTimeout must be > 0, but was 0s");
  }

  @Test
  void reportsEveryMissingSettingTogether() {
    assertThatThrownBy(() -> AsyncAgent.builder().build())
        .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.violations()).containsExactly(
            new Violation("name", "is required"),
            new Violation("topics", "at least one topic is required"),
            new Violation("driver", "is required"),
            new Violation("sinks", "at least one sink is required")))
        .hasMessage("invalid agent (4 problems):\n"
            + "  name: is required\n"
            + "  topics: at least one topic is required\n"
            + "  driver: is required\n"
            + "  sinks: at least one sink is required");
  }

  @Test
  void asksTheDriverAboutEachTopic() {
    assertThatThrownBy(() -> AsyncAgent.builder().name("a").topics("ok", "not/ok").driver(DRIVER).sink(SINK).build())
        .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.violations())
            .containsExactly(new Violation("topics[1]", "must not contain '/', but was 'not/ok'")))
        .hasMessage("invalid agent 'a': topics[1]: must not contain '/', but was 'not/ok'");
  }

  @Test
  void buildsANewAgentFromValidSettings() {
    AsyncAgent agent = AsyncAgent.builder().name("a").topics(List.of("t")).driver(DRIVER).sink(SINK).build();

    assertThat(agent.name()).isEqualTo("a");
    assertThat(agent.state()).isEqualTo(AgentState.NEW);
  }
}
