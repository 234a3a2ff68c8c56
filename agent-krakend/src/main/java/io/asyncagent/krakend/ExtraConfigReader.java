package io.asyncagent.krakend;

import io.asyncagent.InvalidConfigException;
import io.asyncagent.Violation;
import io.asyncagent.spi.ConfigNode;
import io.asyncagent.spi.Driver;
import io.asyncagent.spi.DriverFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads an agent's {@code extra_config}: exactly one driver namespace, read by the {@link DriverFactory}
 * found for it, and our own namespace {@value #OWN}. KrakenD also honours endpoint middlewares here
 * ({@code proxy}, {@code modifier/lua-proxy}, {@code validation/cel}, ...); this library runs none, so
 * they are reported rather than silently ignored.
 */
final class ExtraConfigReader {
  /** The namespace of this library's own settings of an agent. */
  static final String OWN = "asyncagent";
  static final String AMQP = "async/amqp";
  static final String KAFKA = "async/kafka";

  private final Factories factories;

  ExtraConfigReader(Factories factories) {
    this.factories = factories;
  }

  void read(ConfigNode extra, AgentParts parts) {
    String available = factories.driverNamespaces().isEmpty()
        ? "none: add io.asyncagent:agent-kafka to the class path"
        : String.join(", ", factories.driverNamespaces());
    List<String> drivers = new ArrayList<>();
    boolean driverReported = false;
    for (String key : extra.keys()) {
      if (key.equals(OWN)) {
        extra.object(OWN).ifPresent(own -> OwnSettingsReader.read(own, parts));
      } else if (factories.driver(key).isPresent()) {
        drivers.add(key);
      } else if (key.equals(AMQP)) {
        extra.report(key, "is not supported: this library has no AMQP driver; its drivers are " + available);
        driverReported = true;
      } else if (key.equals(KAFKA)) {
        extra.report(key, "needs the Kafka driver on the class path: add io.asyncagent:agent-kafka");
        driverReported = true;
      } else {
        extra.report(key, "is not supported: an agent's extra_config takes one driver (" + available + ") and "
            + OWN);
      }
    }
    if (drivers.size() > 1) {
      extra.report("must name exactly one driver, but names " + String.join(", ", drivers));
    } else if (drivers.size() == 1) {
      driver(extra, drivers.get(0), parts);
    } else if (!driverReported) {
      extra.report("must name a driver (" + available + "), but names none");
    }
  }

  private void driver(ConfigNode extra, String namespace, AgentParts parts) {
    Optional<ConfigNode> block = extra.object(namespace);
    if (block.isEmpty()) {
      return; // reported: not an object
    }
    DriverFactory factory = factories.driver(namespace).orElseThrow();
    int before = extra.problemCount();
    Optional<Driver> driver = create(factory, block.get(), parts.name);
    if (driver.isEmpty()) {
      if (extra.problemCount() == before) {
        block.get().report("was not read: its driver factory made no driver and reported no problem");
      }
      return;
    }
    parts.driver = driver.get();
    parts.namespace = namespace;
    parts.driverSummary = driver.get().summary();
  }

  /** Calls the factory; a builder's exception that escaped it is reported under the block. */
  private static Optional<Driver> create(DriverFactory factory, ConfigNode block, String agentName) {
    try {
      return factory.create(block, agentName);
    } catch (InvalidConfigException e) {
      for (Violation violation : e.violations()) {
        block.report(violation.toString());
      }
    } catch (IllegalArgumentException e) {
      block.report(e.getMessage());
    }
    return Optional.empty();
  }
}
