package io.asyncagent.krakend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.asyncagent.AgentGroup;
import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.InvalidConfigException;
import io.asyncagent.Violation;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every fixture file loads, or fails, exactly as its {@code .expected} file says. */
class FixturesTest {

  static List<Path> validFiles() {
    return Fixtures.files("valid");
  }

  static List<Path> invalidFiles() {
    return Fixtures.files("invalid");
  }

  @Test
  void thereAreAtLeastTenValidAndFortyInvalidFiles() {
    assertThat(validFiles()).hasSizeGreaterThanOrEqualTo(10);
    assertThat(invalidFiles()).hasSizeGreaterThanOrEqualTo(40);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validFiles")
  void aValidFileGivesTheAgentsItsSummariesName(Path file) {
    KrakendConfig config = KrakendConfig.read(file);

    assertThat(config.agents()).extracting(AgentDefinition::summary).containsExactlyElementsOf(Fixtures.expected(file));
    assertThat(config.source()).isEqualTo(file.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validFiles")
  void aValidFileBuildsAGroupOfNewAgentsThatCloseCleanly(Path file) {
    KrakendConfig config = KrakendConfig.read(file);

    try (AgentGroup group = config.newGroup()) {
      assertThat(group.agents()).extracting(AsyncAgent::name)
          .containsExactlyElementsOf(config.agents().stream().map(AgentDefinition::name).collect(Collectors.toList()));
      assertThat(group.agents()).extracting(AsyncAgent::state).containsOnly(AgentState.NEW);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFiles")
  void anInvalidFileIsRejectedWithExactlyTheExpectedViolationsInFileOrder(Path file) {
    InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> KrakendConfig.read(file));

    assertThat(e).as("%s must be rejected", file).isNotNull();
    assertThat(e.violations()).extracting(Violation::toString).containsExactlyElementsOf(Fixtures.expected(file));
    assertThat(e.getMessage()).startsWith("invalid " + file + (e.violations().size() == 1 ? ": " : " ("));
  }
}
