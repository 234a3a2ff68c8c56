package io.asyncagent.spi;

import io.asyncagent.Partition;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadFactory;

/**
 * What an agent gives one session of its driver, and how the session reports back. Each connection
 * attempt gets a context of its own: reports through the context of a session that has ended are ignored.
 * The reporting methods are cheap, thread-safe and never throw.
 */
public interface DriverContext {

  /** {@return the agent's name} */
  String agentName();

  /** {@return the topics to subscribe to: at least one, no duplicates, in the order configured} */
  List<String> topics();

  /** {@return the dispatcher that takes the session's events} */
  Dispatcher dispatcher();

  /**
   * Returns a factory for the session's threads, named {@code asyncagent-<agent>-<role>} (a counter is
   * appended when it makes more than one). The threads are daemon threads, and carry the agent's name in
   * the SLF4J MDC under {@code agent} for as long as they run, so every line they log names the agent.
   *
   * @param role what the threads do, such as {@code poll}
   * @return a thread factory
   */
  ThreadFactory threadFactory(String role);

  /** Reports that a poll of the source succeeded just now; feeds the agent's health. */
  void polled();

  /**
   * Reports whether the session is connected to its source. A session that stays unreachable longer
   * than it tolerates should end with a retriable {@link io.asyncagent.ConnectionException}.
   *
   * @param reachable whether the source can be reached
   */
  void reachable(boolean reachable);

  /**
   * Reports how many records the session's partitions hold beyond what it has read.
   *
   * @param records the lag in records, {@code >= 0}
   */
  void lag(long records);

  /**
   * Reports partitions given to the session.
   *
   * @param partitions the partitions
   */
  void partitionsAssigned(Collection<Partition> partitions);

  /**
   * Reports partitions taken from the session after it committed what was processed.
   *
   * @param partitions the partitions
   */
  void partitionsRevoked(Collection<Partition> partitions);

  /**
   * Reports partitions taken from the session without a chance to commit.
   *
   * @param partitions the partitions
   */
  void partitionsLost(Collection<Partition> partitions);

  /**
   * Reports that the session committed {@code offset} for {@code partition}: the offset of the next event
   * to read, as Kafka defines it — one past the last event of the partition's contiguous prefix of
   * processed events. Call it after the commit succeeded (for an asynchronous commit, from its callback),
   * once per partition that the commit moved; never for a commit that failed or was not attempted. The
   * agent hands the report to its listener on another thread, so calling this from the poll thread never
   * runs user code there.
   *
   * @param partition the partition, which the session owns
   * @param offset the committed offset, {@code >= 0}
   */
  void committed(Partition partition, long offset);
}
