package io.asyncagent.spi;

import java.util.Optional;

/**
 * Connects an agent to a message source — Kafka, in agent-kafka. A driver is configuration: it holds
 * no connection until {@link #connect} and may be used by several agents, each connecting its own
 * session.
 *
 * <h2>What a session must do</h2>
 *
 * <ul>
 *   <li>Read events from the agent's topics and offer each to {@link DriverContext#dispatcher()}, in
 *       source order per partition; when the dispatcher is full, stop reading (Kafka: pause) and offer
 *       again when {@link Dispatcher#setCapacityListener told} that there is room. Never block a thread
 *       the dispatcher calls back on.
 *   <li>Move a partition's committed position only past events whose pipeline has completed — the
 *       callback given to {@link Dispatcher#offer} has run — and only over a contiguous prefix.
 *   <li>Complete {@link DriverSession#ready()} once consuming, with start positions fixed: an event
 *       published after that is delivered.
 *   <li>Complete {@link DriverSession#terminated()} when the session ends: normally after {@code close},
 *       exceptionally when it fails on its own.
 * </ul>
 */
public interface Driver {

  /** {@return a short name for logs and health, such as {@code kafka}} */
  String type();

  /**
   * Returns a one-line description of where the driver reads from, for start-up logs and a
   * {@code check} command — such as {@code brokers localhost:9092, group billing}. Never a secret. The
   * default is {@link #type()}.
   *
   * @return the description, on one line
   */
  default String summary() {
    return type();
  }

  /**
   * Checks a topic name before the agent is built, so that a bad name fails {@code build()} rather than
   * {@code start()}.
   *
   * @return what is wrong with {@code topic}, or empty when it is acceptable
   * @param topic a topic the agent is configured with
   */
  default Optional<String> checkTopic(String topic) {
    return Optional.empty();
  }

  /**
   * Opens a session for one agent and starts consuming on the driver's own thread(s); returns without
   * waiting for the source. Failures to connect are reported through {@link DriverSession#terminated()},
   * except for configuration the driver rejects at once.
   *
   * @param context what the agent gives the session, and where it reports
   * @return the session, connecting
   * @throws io.asyncagent.AgentException if the session cannot even be set up
   */
  DriverSession connect(DriverContext context);
}
