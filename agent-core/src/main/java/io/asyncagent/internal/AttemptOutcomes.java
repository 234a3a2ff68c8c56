package io.asyncagent.internal;

import io.asyncagent.BackendSink;
import io.asyncagent.DeadLetterHeaders;
import io.asyncagent.DeliveryAttempt;
import io.asyncagent.DeliveryException;
import io.asyncagent.DeliveryFailure;
import io.asyncagent.DeliveryFailure.Next;
import io.asyncagent.DeliveryTimeoutException;
import io.asyncagent.Event;
import io.asyncagent.FailurePolicy;
import io.asyncagent.GoDuration;
import io.asyncagent.Header;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * What follows one delivery attempt, under the agent's FailurePolicy. Success finishes the event. A failure
 * is skipped (KrakenD), or retried after a backoff while it is retriable and attempts remain, or given to
 * the dead-letter sink. The retry waits on the scheduler, not on a worker: the event keeps only its place
 * at the head of its lane. A dead-letter write that fails is retried with the same backoff, without end:
 * the event is not finished, so nothing past it is committed, until the dead letter is written.
 *
 * Each failed attempt writes exactly one line, which says what follows: WARN, or ERROR when the event is
 * dropped. The listener hears of an outcome before anything that follows it is set in motion (a retry, a
 * dead-letter write, the driver's callback), so its calls for one event come in order.
 */
/** Decides, after each attempt, whether an event is done, tried again, or dead-lettered. */
final class AttemptOutcomes {
  private static final Logger log = LoggerFactory.getLogger(AttemptOutcomes.class);
  private static final int MAX_ERROR_LENGTH = 1_000;

  private final String agentName;
  private final FailurePolicy policy;
  private final Duration timeout;
  private final ScheduledExecutorService scheduler;
  private final Ticker ticker;
  private final ReadyQueue ready;
  private final ListenerGuard listener;
  private final Runnable onDelivered;
  private final Runnable requestDrain;
  private final Consumer<DeliveryTask> finish;

  AttemptOutcomes(String agentName, FailurePolicy policy, Duration timeout, ScheduledExecutorService scheduler,
      Ticker ticker, ReadyQueue ready, ListenerGuard listener, Runnable onDelivered, Runnable requestDrain,
      Consumer<DeliveryTask> finish) {
    this.agentName = agentName;
    this.policy = policy;
    this.timeout = timeout;
    this.scheduler = scheduler;
    this.ticker = ticker;
    this.ready = ready;
    this.listener = listener;
    this.onDelivered = onDelivered;
    this.requestDrain = requestDrain;
    this.finish = finish;
  }

  /** The attempt the task is settling succeeded. */
  void succeeded(DeliveryTask task) {
    onDelivered.run();
    if (listener.hears()) {
      listener.delivered(attemptOf(task));
    }
    if (log.isTraceEnabled()) {
      LogContext mdc = LogContext.event(agentName, task.event.coordinates());
      try {
        log.trace("agent '{}': delivered {} on attempt {}: {}", agentName, task.event.coordinates(), task.attempt(),
            LogContext.payload(task.event));
      } finally {
        mdc.restore();
      }
    }
    finish.accept(task);
  }

  /** The attempt the task is settling failed with {@code failure}. */
  void failed(DeliveryTask task, Throwable failure) {
    DeliveryAttempt attempt = attemptOf(task);
    int number = attempt.number();
    boolean retriable = isRetriable(failure);
    Next next = !policy.retries() ? Next.SKIP
        : retriable && policy.allowsAttempt(number + 1) ? Next.RETRY
        : policy.deadLetter().isPresent() ? Next.DEAD_LETTER
        : Next.DROP;
    Duration delay = next == Next.RETRY ? policy.delayBefore(number + 1, retryAfter(failure)) : Duration.ZERO;
    logFailure(task, number, failure, next, delay);
    DeliveryFailure outcome = DeliveryFailure.of(failure, next);
    listener.failed(attempt, outcome);
    switch (next) {
      case RETRY:
        listener.retryScheduled(task.event, number + 1, delay);
        task.awaitRetry();
        later(delay, () -> {
          if (task.requeue()) { // else it was cancelled while it waited, and its lane has moved on
            ready.retry(task);
            requestDrain.run();
          }
        });
        return;
      case DEAD_LETTER:
        deadLetter(task, policy.deadLetter().orElseThrow(), letter(task.event, number, failure), outcome, 1);
        return;
      default:
        finish.accept(task);
    }
  }

  private DeliveryAttempt attemptOf(DeliveryTask task) {
    return DeliveryAttempt.of(task.event, task.attempt(), Duration.ofNanos(Math.max(0, ticker.nanos() - task.startedAt)));
  }

  private void deadLetter(DeliveryTask task, BackendSink sink, Event letter, DeliveryFailure outcome, int write) {
    CompletionStage<Void> stage = SinkGuard.deliver(sink, letter);
    CompletableFuture<Void> written = new CompletableFuture<>();
    stage.whenComplete((ignored, failure) -> {
      if (failure == null) {
        written.complete(null);
      } else {
        written.completeExceptionally(failure);
      }
    });
    later(timeout, () -> {
      if (written.completeExceptionally(new DeliveryTimeoutException(letter.coordinates(), timeout))) {
        SinkGuard.cancel(stage);
      }
    });
    written.whenComplete((ignored, failure) -> {
      if (failure == null) {
        logEvent(task, () -> log.warn("agent '{}': dead-lettered {}", agentName, task.event.coordinates()));
        listener.deadLettered(task.event, outcome);
        finish.accept(task);
        return;
      }
      Duration delay = policy.delayBefore(Math.min(write + 1, 64), Optional.empty());
      logEvent(task, () -> log.warn("agent '{}': writing the dead letter of {} failed (write {}); its offset is not "
          + "committed; retrying in {}: {}", agentName, task.event.coordinates(), write, GoDuration.format(delay),
          describe(SinkGuard.unwrap(failure))));
      later(delay, () -> deadLetter(task, sink, letter, outcome, write + 1));
    });
  }

  private void later(Duration delay, Runnable action) {
    try {
      scheduler.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException afterShutdown) {
      // The agent stopped: the event stays unfinished and uncommitted, and is delivered again later.
    }
  }

  private static boolean isRetriable(Throwable failure) {
    return !(failure instanceof DeliveryException delivery) || delivery.isRetriable();
  }

  private static Optional<Duration> retryAfter(Throwable failure) {
    return failure instanceof DeliveryException delivery ? delivery.retryAfter() : Optional.empty();
  }

  /** The dead letter of {@code event}: the event itself, and where it came from and why it failed. */
  static Event letter(Event event, int attempts, Throwable failure) {
    Event.Builder letter = Event.builder(event.topic(), event.partition(), event.offset())
        .timestampMillis(event.timestampMillis())
        .key(event.key().orElse(null))
        .body(event.body());
    event.headers().forEach(letter::header);
    letter.header(Header.of(DeadLetterHeaders.TOPIC, event.topic()))
        .header(Header.of(DeadLetterHeaders.PARTITION, Integer.toString(event.partition())))
        .header(Header.of(DeadLetterHeaders.OFFSET, Long.toString(event.offset())))
        .header(Header.of(DeadLetterHeaders.TIMESTAMP, Long.toString(event.timestampMillis())))
        .header(Header.of(DeadLetterHeaders.ATTEMPTS, Integer.toString(attempts)));
    if (failure instanceof DeliveryException delivery && delivery.status().isPresent()) {
      letter.header(Header.of(DeadLetterHeaders.STATUS, Integer.toString(delivery.status().getAsInt())));
    }
    String message = String.valueOf(failure.getMessage());
    letter.header(Header.of(DeadLetterHeaders.ERROR,
        message.length() > MAX_ERROR_LENGTH ? message.substring(0, MAX_ERROR_LENGTH) : message));
    letter.header(Header.of(DeadLetterHeaders.EXCEPTION, failure.getClass().getName()));
    return letter.build();
  }

  /** The one line of a failed attempt, naming its coordinates, the attempt and what follows. */
  private void logFailure(DeliveryTask task, int attempt, Throwable failure, Next next, Duration delay) {
    String then;
    switch (next) {
      case RETRY:
        then = "; retrying in " + GoDuration.format(delay);
        break;
      case DEAD_LETTER:
        then = isRetriable(failure) ? "; dead-lettering it after " + attempt + " attempt(s)"
            : "; dead-lettering it at once: the failure is permanent";
        break;
      case DROP:
        then = (isRetriable(failure) ? "; gave up after " + attempt + " attempt(s)"
            : "; gave up at once: the failure is permanent") + ", and there is no dead-letter sink, so it is dropped";
        break;
      default:
        then = "; not retried (FailurePolicy.skip)";
    }
    Runnable line;
    if (next == Next.DROP) {
      line = () -> log.error("agent '{}': delivery of {} failed (attempt {}){}: {}", agentName,
          task.event.coordinates(), attempt, then, describe(failure));
    } else if (failure instanceof DeliveryException) {
      line = () -> log.warn("agent '{}': delivery of {} failed (attempt {}){}: {}", agentName,
          task.event.coordinates(), attempt, then, failure.getMessage());
    } else {
      line = () -> log.warn("agent '{}': delivery of {} failed (attempt {}){}: the sink threw", agentName,
          task.event.coordinates(), attempt, then, failure);
    }
    logEvent(task, line);
  }

  /** Writes a line about the task's event with its coordinates in the MDC, on this thread. */
  private void logEvent(DeliveryTask task, Runnable line) {
    LogContext mdc = LogContext.event(agentName, task.event.coordinates());
    try {
      line.run();
    } finally {
      mdc.restore();
    }
  }

  private static String describe(Throwable failure) {
    return failure instanceof DeliveryException ? failure.getMessage() : failure.toString();
  }
}
