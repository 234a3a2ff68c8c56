package io.asyncagent.internal;

import io.asyncagent.BackendSink;
import io.asyncagent.DeadLetterHeaders;
import io.asyncagent.DeliveryException;
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
 */
/** Decides, after each attempt, whether an event is done, tried again, or dead-lettered. */
final class AttemptOutcomes {
  private static final Logger log = LoggerFactory.getLogger(AttemptOutcomes.class);
  private static final int MAX_ERROR_LENGTH = 1_000;

  private final String agentName;
  private final FailurePolicy policy;
  private final Duration timeout;
  private final ScheduledExecutorService scheduler;
  private final ReadyQueue ready;
  private final Runnable onDelivered;
  private final Runnable requestDrain;
  private final Consumer<DeliveryTask> finish;

  AttemptOutcomes(String agentName, FailurePolicy policy, Duration timeout, ScheduledExecutorService scheduler,
      ReadyQueue ready, Runnable onDelivered, Runnable requestDrain, Consumer<DeliveryTask> finish) {
    this.agentName = agentName;
    this.policy = policy;
    this.timeout = timeout;
    this.scheduler = scheduler;
    this.ready = ready;
    this.onDelivered = onDelivered;
    this.requestDrain = requestDrain;
    this.finish = finish;
  }

  /** The attempt the task is settling succeeded. */
  void succeeded(DeliveryTask task) {
    onDelivered.run();
    finish.accept(task);
  }

  /** The attempt the task is settling failed with {@code failure}. */
  void failed(DeliveryTask task, Throwable failure) {
    int attempt = task.attempt();
    if (!policy.retries()) {
      warn(task, failure, "");
      finish.accept(task);
      return;
    }
    if (isRetriable(failure) && policy.allowsAttempt(attempt + 1)) {
      Duration delay = policy.delayBefore(attempt + 1, retryAfter(failure));
      warn(task, failure, " (attempt " + attempt + "); retrying in " + GoDuration.format(delay));
      task.awaitRetry();
      later(delay, () -> {
        if (task.requeue()) { // else it was cancelled while it waited, and its lane has moved on
          ready.retry(task);
          requestDrain.run();
        }
      });
      return;
    }
    String why = isRetriable(failure) ? "after " + attempt + " attempt(s)" : "at once: the failure is permanent";
    Optional<BackendSink> deadLetter = policy.deadLetter();
    if (deadLetter.isEmpty()) {
      log.error("agent '{}': gave up on {} {}, and there is no dead-letter sink, so it is dropped: {}", agentName,
          task.event.coordinates(), why, describe(failure));
      finish.accept(task);
      return;
    }
    warn(task, failure, "; dead-lettering it " + why);
    deadLetter(task, deadLetter.get(), letter(task.event, attempt, failure), 1);
  }

  private void deadLetter(DeliveryTask task, BackendSink sink, Event letter, int write) {
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
        log.warn("agent '{}': dead-lettered {}", agentName, task.event.coordinates());
        finish.accept(task);
        return;
      }
      Duration delay = policy.delayBefore(Math.min(write + 1, 64), Optional.empty());
      log.warn("agent '{}': writing the dead letter of {} failed (write {}); its offset is not committed; retrying "
          + "in {}: {}", agentName, task.event.coordinates(), write, GoDuration.format(delay),
          describe(SinkGuard.unwrap(failure)));
      later(delay, () -> deadLetter(task, sink, letter, write + 1));
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

  private void warn(DeliveryTask task, Throwable failure, String next) {
    if (failure instanceof DeliveryException) {
      log.warn("agent '{}': delivery of {} failed{}: {}", agentName, task.event.coordinates(), next,
          failure.getMessage());
    } else {
      log.warn("agent '{}': delivery of {} failed{}: the sink threw", agentName, task.event.coordinates(), next,
          failure);
    }
  }

  private static String describe(Throwable failure) {
    return failure instanceof DeliveryException ? failure.getMessage() : failure.toString();
  }
}
