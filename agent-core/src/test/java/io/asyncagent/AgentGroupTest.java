package io.asyncagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class AgentGroupTest {

  private static AgentHealth health(String name, AgentState state, boolean reachable, Instant lastAlive,
      Throwable cause) {
    return new AgentHealth(name, state, reachable, Optional.ofNullable(lastAlive), Optional.empty(), Optional.empty(),
        OptionalLong.empty(), 0, 0, Optional.ofNullable(cause));
  }

  @Test
  void rendersKrakendsHealthDocumentWhenAllAreHealthy() {
    Map<String, AgentHealth> agents = new LinkedHashMap<>();
    agents.put("stocks", health("stocks", AgentState.RUNNING, true, Instant.parse("2026-11-26T23:59:58.120Z"), null));
    agents.put("orders", health("orders", AgentState.RUNNING, true, Instant.parse("2026-11-26T23:59:58.500Z"), null));

    GroupHealth group = new GroupHealth(Instant.parse("2026-11-26T23:59:59.001Z"), agents);

    assertThat(group.isHealthy()).isTrue();
    assertThat(group.toJson()).isEqualTo("{\"status\":\"ok\",\"agents\":{\"stocks\":\"2026-11-26T23:59:58.120Z\","
        + "\"orders\":\"2026-11-26T23:59:58.500Z\"},\"now\":\"2026-11-26T23:59:59.001Z\"}");
  }

  @Test
  void saysUnhealthyAndWhyWhenAnAgentFailedOrLostItsCluster() {
    Map<String, AgentHealth> agents = new LinkedHashMap<>();
    agents.put("stocks", health("stocks", AgentState.FAILED, false, null,
        new ConnectionException("gave up after 3 \"attempts\"", false)));
    agents.put("orders", health("orders", AgentState.RUNNING, false, Instant.parse("2026-11-26T23:59:58.500Z"), null));
    agents.put("prices", health("prices", AgentState.RUNNING, true, Instant.parse("2026-11-26T23:59:58.700Z"), null));

    GroupHealth group = new GroupHealth(Instant.parse("2026-11-26T23:59:59Z"), agents);

    assertThat(group.isHealthy()).isFalse();
    assertThat(group.toJson()).isEqualTo("{\"status\":\"unhealthy\",\"agents\":{\"stocks\":null,"
        + "\"orders\":\"2026-11-26T23:59:58.500Z\",\"prices\":\"2026-11-26T23:59:58.700Z\"},"
        + "\"now\":\"2026-11-26T23:59:59Z\",\"unhealthy\":{\"stocks\":\"FAILED: gave up after 3 \\\"attempts\\\"\","
        + "\"orders\":\"cannot reach its cluster\"}}");
  }

  @Test
  void refusesTwoAgentsOfTheSameName() {
    AsyncAgent first = TestAgents.named("orders");
    AsyncAgent second = TestAgents.named("orders");

    assertThatThrownBy(() -> AgentGroup.of(first, second))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("agent names must be unique in a group, but 'orders' appears twice");
  }
}
