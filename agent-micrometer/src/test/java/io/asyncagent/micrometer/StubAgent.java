package io.asyncagent.micrometer;

import io.asyncagent.AgentHealth;
import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/** An agent whose state and health the test sets; it never runs. */
final class StubAgent implements AsyncAgent {
  private final String name;
  volatile AgentState state = AgentState.NEW;
  volatile int inFlight;
  volatile int buffered;
  volatile long bytes;
  volatile OptionalLong lag = OptionalLong.empty();

  StubAgent(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public AgentState state() {
    return state;
  }

  @Override
  public Optional<Throwable> failureCause() {
    return Optional.empty();
  }

  @Override
  public AgentHealth health() {
    return new AgentHealth(name, state, true, Optional.empty(), Optional.empty(), Optional.empty(), lag, inFlight,
        buffered, bytes, Optional.empty());
  }

  @Override
  public void start() {
    throw new UnsupportedOperationException("a stub");
  }

  @Override
  public void close() {}

  @Override
  public void close(Duration grace) {}
}
