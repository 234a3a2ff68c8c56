package io.asyncagent.examples;

import io.asyncagent.spi.ConfigNode;
import io.asyncagent.spi.Driver;
import io.asyncagent.spi.DriverFactory;
import java.util.List;
import java.util.Optional;

/**
 * Reads an agent's {@code "example/in-memory": {"log": "orders"}} block into an {@link InMemoryDriver} over the
 * {@linkplain InMemoryLog#named named log}. Listed in {@code META-INF/services/io.asyncagent.spi.DriverFactory},
 * so that {@code KrakendConfig} (agent-krakend) finds it when an agent's {@code extra_config} names the
 * namespace.
 */
public final class InMemoryDriverFactory implements DriverFactory {
  /** The {@code extra_config} key of the driver's block. */
  public static final String NAMESPACE = "example/in-memory";

  /** Creates the factory; {@link java.util.ServiceLoader} calls this. */
  public InMemoryDriverFactory() {}

  @Override
  public String namespace() {
    return NAMESPACE;
  }

  // tag::create[]
  @Override
  public Optional<Driver> create(ConfigNode config, String agentName) {
    int before = config.problemCount();
    config.rejectUnknown(List.of("log"));           // a misspelt field is reported, not ignored
    if (!config.has("log")) {
      config.report("log", "is required");
    }
    // string(): a wrong type is reported with its path and read as absent. convert(): the factory's
    // IllegalArgumentException is reported under the field, its message without the setting's name.
    Optional<InMemoryLog> log = config.convert("log", config.string("log"), InMemoryLog::named);
    if (config.problemCount() > before) {
      return Optional.empty();                      // reported; the reader goes on, to find every problem at once
    }
    return Optional.of(InMemoryDriver.of(log.orElseThrow()));
  }
  // end::create[]
}
