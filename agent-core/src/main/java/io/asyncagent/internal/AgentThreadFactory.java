package io.asyncagent.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names threads {@code asyncagent-<agent>-<role>}, adding {@code -<n>} from the second thread on, and
 * makes them daemon threads: an agent the host forgot to close must not keep the JVM alive. Each thread
 * carries the agent's name in the SLF4J MDC (key {@code agent}) while it runs, so every line logged on it
 * — the agent's, a driver's, a client library's — names its agent.
 */
public final class AgentThreadFactory implements ThreadFactory {
  private static final Logger log = LoggerFactory.getLogger(AgentThreadFactory.class);

  private final String agentName;
  private final String prefix;
  private final AtomicInteger count = new AtomicInteger();

  /** Creates a factory for the threads of one role of one agent. */
  public AgentThreadFactory(String agentName, String role) {
    this.agentName = agentName;
    this.prefix = "asyncagent-" + agentName + "-" + role;
  }

  @Override
  public Thread newThread(Runnable task) {
    int n = count.incrementAndGet();
    Runnable named = () -> {
      LogContext mdc = LogContext.agent(agentName);
      try {
        task.run();
      } finally {
        mdc.restore();
      }
    };
    Thread thread = new Thread(named, n == 1 ? prefix : prefix + "-" + n);
    thread.setDaemon(true);
    thread.setUncaughtExceptionHandler(
        (t, e) -> log.error("uncaught exception in thread {}; this is a bug in async-agent", t.getName(), e));
    return thread;
  }
}
