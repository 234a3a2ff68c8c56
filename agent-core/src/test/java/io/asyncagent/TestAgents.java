package io.asyncagent;

import io.asyncagent.spi.Driver;
import io.asyncagent.spi.DriverContext;
import io.asyncagent.spi.DriverSession;
import java.util.concurrent.CompletableFuture;

/** Agents for tests of this package that never start. */
final class TestAgents {
  private TestAgents() {}

  static AsyncAgent named(String name) {
    return AsyncAgent.builder().name(name).topics("t").driver(new Driver() {
      @Override
      public String type() {
        return "none";
      }

      @Override
      public DriverSession connect(DriverContext context) {
        throw new UnsupportedOperationException("never started");
      }
    }).sink(event -> CompletableFuture.completedFuture(null)).build();
  }
}
