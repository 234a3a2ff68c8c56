package io.asyncagent;

import static java.util.Objects.requireNonNull;

import io.asyncagent.internal.CompositeListener;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Hears what happens to an agent and to each of its events: state changes, connections, partitions, every
 * event taken in, every delivery attempt and its outcome, retries, dead letters and commits. Every method
 * has an empty default; implement those you need. Metrics (agent-micrometer's {@code AgentMetrics}), tracing
 * and audit logs are built on it.
 *
 * <h2>Contract</h2>
 *
 * A listener runs on the agent's own threads, in the middle of its work, and each method says on which. It
 * must be fast, must not block (no I/O, no waiting for a lock that some slow code holds) and must not throw.
 * The agent guards every call anyway: what a listener throws is caught and the agent carries on. The first
 * throw of each method is logged at WARN with its stack trace, later throws of the same method at DEBUG, so
 * a listener that throws on every event does not flood the log. A slow listener slows the agent: the
 * per-event methods run on the threads that deliver events.
 *
 * <p>The agent never calls a listener while it holds a lock, and never calls the per-event methods or
 * {@link #committed committed} on the driver's poll thread, so a listener cannot stall the consumer's poll
 * loop. Calls for one event come in the order of its life — {@code received}, then per attempt
 * {@code delivered} or {@code failed} (and {@code retryScheduled} after a failure that is retried), then
 * {@code deadLettered} if it comes to that — but calls for different events may come concurrently, from
 * several threads: a listener must be thread-safe.
 *
 * <p>A listener may serve several agents: each call names its agent. Listeners are combined with
 * {@link #composite(AgentListener...)}.
 *
 * <h2>One event's calls</h2>
 *
 * <pre>
 * received ─▶ delivered                                                      (done)
 *          └▶ failed(next SKIP | DROP)                                       (done)
 *          └▶ failed(next RETRY) ─▶ retryScheduled ─▶ delivered | failed …   (next attempt)
 *          └▶ failed(next DEAD_LETTER) ─▶ deadLettered                       (done)
 * </pre>
 *
 * An event whose partition is revoked (or whose agent closes) before it is done is withdrawn: it gets no
 * further call, and the partition's next owner receives it again. A done event's offset is then committed
 * by the driver as part of its partition's contiguous prefix: {@link #committed committed}.
 */
public interface AgentListener {

  /** A listener that does nothing; the default. */
  AgentListener NONE = new AgentListener() {};

  /**
   * Returns a listener that passes each call to every one of {@code listeners}, in the order given. An agent
   * guards each of them separately, so one that throws does not keep the others from hearing the call.
   * Composites in {@code listeners} are flattened and {@link #NONE} is left out.
   *
   * @return {@link #NONE} for no listeners, the listener itself for one
   * @param listeners the listeners, in the order they hear each call
   * @throws NullPointerException if {@code listeners} or one of them is null
   */
  static AgentListener composite(AgentListener... listeners) {
    requireNonNull(listeners, "listeners");
    return composite(List.of(listeners));
  }

  /**
   * Returns a listener that passes each call to every one of {@code listeners}, in the order given; see
   * {@link #composite(AgentListener...)}.
   *
   * @return {@link #NONE} for no listeners, the listener itself for one
   * @param listeners the listeners, in the order they hear each call
   * @throws NullPointerException if {@code listeners} or one of them is null
   */
  static AgentListener composite(List<? extends AgentListener> listeners) {
    requireNonNull(listeners, "listeners");
    return CompositeListener.of(listeners);
  }

  /**
   * The agent moved from {@code from} to {@code to}. Called on the thread that made the change: the one
   * calling {@code start()} or {@code close()}, or an agent thread when the agent fails.
   *
   * @param agent the agent
   * @param from the state it left
   * @param to the state it entered
   */
  default void stateChanged(AsyncAgent agent, AgentState from, AgentState to) {}

  /**
   * The agent is consuming: it became {@link AgentState#RUNNING}, which happens once in its life. Called on
   * the thread that called {@link AsyncAgent#start()}, after {@link #stateChanged stateChanged} and before
   * {@code start()} returns. The driver consumes from the moment its session is ready, so the first events
   * may be {@linkplain #received received} just before this call.
   *
   * @param agent the agent
   */
  default void started(AsyncAgent agent) {}

  /**
   * Connection attempt {@code attempt} (0 for the first) is starting. Called on the thread that called
   * {@code start()} for the first attempt, on the agent's scheduler thread for the others.
   *
   * @param agent the agent
   * @param attempt the attempt, 0 for the first
   */
  default void connecting(AsyncAgent agent, int attempt) {}

  /**
   * The session of attempt {@code attempt} is consuming. Called on the thread that saw it become ready.
   *
   * @param agent the agent
   * @param attempt the attempt that connected, as in {@link #connecting connecting}
   */
  default void connected(AsyncAgent agent, int attempt) {}

  /**
   * The session of attempt {@code attempt} ended because of {@code cause}. {@code retryIn} is the wait
   * before the next attempt, or empty when the agent gives up (it then goes {@link AgentState#FAILED}).
   * Called on the thread that saw the session end.
   *
   * @param agent the agent
   * @param attempt the attempt whose session ended, as in {@link #connecting connecting}
   * @param cause why it ended
   * @param retryIn the wait before the next attempt, or empty when the agent gives up
   */
  default void connectionLost(AsyncAgent agent, int attempt, Throwable cause, Optional<Duration> retryIn) {}

  /**
   * The agent was given {@code partitions} to consume. Called on the driver's poll thread.
   *
   * @param agent the agent
   * @param partitions the partitions assigned
   */
  default void partitionsAssigned(AsyncAgent agent, Set<Partition> partitions) {}

  /**
   * {@code partitions} were taken from the agent after it committed what it processed of them. Called on
   * the driver's poll thread.
   *
   * @param agent the agent
   * @param partitions the partitions revoked
   */
  default void partitionsRevoked(AsyncAgent agent, Set<Partition> partitions) {}

  /**
   * {@code partitions} were taken from the agent without a chance to commit. Called on the driver's poll
   * thread.
   *
   * @param agent the agent
   * @param partitions the partitions lost
   */
  default void partitionsLost(AsyncAgent agent, Set<Partition> partitions) {}

  /**
   * The agent took {@code event} in: it was admitted into the agent's buffer, counted against
   * {@code bufferSize} and {@code maxBufferedBytes}. Called once per admitted event, on the agent's dispatch
   * thread, before its first attempt starts. An event that a new session reads again (after a rebalance or a
   * reconnection) is received again.
   *
   * @param agent the agent
   * @param event the event
   */
  default void received(AsyncAgent agent, Event event) {}

  /**
   * Every sink took the event on {@code attempt}; the event is done, and its offset may be committed.
   * Called once per delivered event, on the thread that completed the last sink's stage (your sink's
   * thread, or the HTTP client's I/O thread), before the driver hears that the event is done.
   *
   * @param agent the agent
   * @param attempt the attempt that delivered the event
   */
  default void delivered(AsyncAgent agent, DeliveryAttempt attempt) {}

  /**
   * Delivery attempt {@code attempt} failed: a sink failed or threw, or the attempt outlived the agent's
   * {@code timeout}. Called once per failed attempt, on the thread that completed the failing stage, or on
   * the agent's scheduler thread for a timeout.
   *
   * <p>{@code failure} says why, classified by {@link DeliveryFailure.Reason} (timeout, the backend's
   * status, a connection failure, a sink's rejection, an unexpected exception), whether the failure is
   * retriable ({@link DeliveryException#isRetriable()}; any other exception is), and what follows
   * ({@link DeliveryFailure#next()}): a retry, a dead letter, or — in KrakenD's mode,
   * {@link FailurePolicy#skip()}, or when a retry policy gives up without a dead-letter sink — nothing: the
   * event is then done ({@link DeliveryFailure.Next#SKIP SKIP} or {@link DeliveryFailure.Next#DROP DROP}).
   * There is no separate call for an event given up on: this is it.
   *
   * @param agent the agent
   * @param attempt the attempt that failed
   * @param failure why it failed, and what follows
   */
  default void failed(AsyncAgent agent, DeliveryAttempt attempt, DeliveryFailure failure) {}

  /**
   * Attempt {@code attempt} (2 for the first retry) of {@code event} will start in about {@code delay}: the
   * policy's backoff, or more when the backend asked for it ({@code Retry-After}). The event keeps its place
   * at the head of its ordering lane meanwhile. Called right after the {@link #failed failed} call of the
   * attempt before, on the same thread.
   *
   * @param agent the agent
   * @param event the event
   * @param attempt the attempt that will start, {@code >= 2}
   * @param delay the wait before it starts, {@code >= 0}
   */
  default void retryScheduled(AsyncAgent agent, Event event, int attempt, Duration delay) {}

  /**
   * {@code event} was written to the dead-letter sink after {@code failure} made the agent give up on it;
   * the event is done, and its offset may be committed. Called once per dead-lettered event, on the thread
   * that completed the dead-letter sink's stage. Writes that failed before are not reported here (they are
   * logged, and retried).
   *
   * @param agent the agent
   * @param event the event
   * @param failure the failure that made the agent give up on it
   */
  default void deadLettered(AsyncAgent agent, Event event, DeliveryFailure failure) {}

  /**
   * The driver committed {@code offset} for {@code partition}: the offset of the next event to read, as
   * Kafka defines it — one past the last event of the partition's contiguous prefix of done events. Called
   * after each successful commit, once per partition that moved, on the agent's dispatch thread (the commit
   * itself happens on the poll thread, which hands the call over). Commits made while the agent closes are
   * reported before {@link AsyncAgent#close()} returns, unless a sink or listener that blocks holds the
   * dispatch thread up for more than a second.
   *
   * @param agent the agent
   * @param partition the partition
   * @param offset the committed offset: the next one to read
   */
  default void committed(AsyncAgent agent, Partition partition, long offset) {}
}
