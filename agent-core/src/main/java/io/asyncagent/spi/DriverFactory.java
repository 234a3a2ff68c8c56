package io.asyncagent.spi;

import java.util.Optional;

/**
 * Creates a {@link Driver} from its block of a configuration file. Found through
 * {@link java.util.ServiceLoader}: a driver module lists its factory in
 * {@code META-INF/services/io.asyncagent.spi.DriverFactory}, and a loader such as agent-krakend picks the
 * factory whose {@link #namespace()} is a key of the agent's {@code extra_config}.
 */
public interface DriverFactory {

  /** {@return the {@code extra_config} key of the driver's block, such as {@code async/kafka}} */
  String namespace();

  /**
   * Reads the driver's block. Every problem is reported to {@code config} (with its path) rather than
   * thrown, so that one pass finds them all.
   *
   * @param config the driver's block
   * @param agentName the name of the agent the driver is for, for defaults derived from it
   * @return the driver, or empty when a problem was reported
   */
  Optional<Driver> create(ConfigNode config, String agentName);
}
