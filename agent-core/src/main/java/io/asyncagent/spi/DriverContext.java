package io.asyncagent.spi;

import java.util.List;
import java.util.concurrent.ThreadFactory;

/** What an agent gives its driver's session. */
public interface DriverContext {

  /** Returns the agent's name. */
  String agentName();

  /** Returns the topics to subscribe to: at least one, no duplicates, in the order configured. */
  List<String> topics();

  /** Returns the dispatcher that takes the session's events. */
  Dispatcher dispatcher();

  /**
   * Returns a factory for the session's threads, named {@code asyncagent-<agent>-<role>} (a counter is
   * appended when it makes more than one). The threads are daemon threads.
   */
  ThreadFactory threadFactory(String role);
}
