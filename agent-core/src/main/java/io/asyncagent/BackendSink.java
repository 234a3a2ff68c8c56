package io.asyncagent;

import io.asyncagent.internal.BlockingSinkAdapter;
import java.util.concurrent.CompletionStage;

/**
 * Where an agent pushes events: an HTTP endpoint ({@code HttpBackend} in agent-http-backend) or anything
 * the host writes. This is KrakenD's {@code backend}; an agent with several sinks delivers each event to
 * all of them, and the event succeeds only when every sink succeeds.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>{@link #deliver} starts the delivery and returns at once; it must not block. The returned stage
 *       completes normally when the event has been delivered, and exceptionally when it has not —
 *       preferably with a {@link DeliveryException} that says whether a retry could help.
 *   <li>It is called concurrently, up to the agent's {@code workers} times at once, and must be
 *       thread-safe.
 *   <li>The agent guards every call: an exception thrown by {@code deliver}, or a {@code null} stage,
 *       fails that event's delivery and nothing else. A stage that does not complete within the agent's
 *       {@code timeout} fails the delivery with a {@link DeliveryTimeoutException}, and the agent tries
 *       to cancel it.
 * </ul>
 *
 * <p>For code that blocks (JDBC, a synchronous client), wrap it with {@link #blocking(BlockingSink)}:
 * the agent then runs it on a pool of {@code workers} threads of its own.
 *
 * <p>A sink that is also {@link AutoCloseable} is closed by the agent when the agent stops or fails —
 * and by each agent it was given to, so such a sink should belong to one agent, or close idempotently.
 */
@FunctionalInterface
public interface BackendSink {

  /**
   * Starts delivering {@code event}.
   *
   * @return a stage that completes when the event is delivered, or exceptionally when it is not
   * @param event the event; its content does not change
   */
  CompletionStage<Void> deliver(Event event);

  /**
   * Returns a sink that runs blocking code. The agent calls {@code sink} on a pool of {@code workers}
   * threads of its own (named {@code asyncagent-<agent>-blocking-<n>}); the delivery succeeds when
   * {@code sink} returns and fails when it throws.
   *
   * <pre>{@code
   * BackendSink audit = BackendSink.blocking(event -> auditLog.insert(event.offset(), event.body()));
   * }</pre>
   *
   * @param sink the blocking code
   * @return a sink that runs {@code sink} on the agent's threads
   * @throws NullPointerException if {@code sink} is null
   */
  static BackendSink blocking(BlockingSink sink) {
    return new BlockingSinkAdapter(sink);
  }
}
